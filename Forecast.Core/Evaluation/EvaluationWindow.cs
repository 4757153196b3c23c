using Forecast.Core.Series;

namespace Forecast.Core.Evaluation;

/// <summary>
/// One cutoff of an evaluation: every series' history up to the cutoff and the actuals of the horizon after it, plus
/// the series' covariate columns over the horizon (known-in-advance covariates, as chronos-2's evaluation gives them),
/// per series id.
/// </summary>
public sealed record EvaluationWindow(int Index, IReadOnlyList<TimeSeries> Histories, IReadOnlyList<double[]> Actuals,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>>? FutureCovariates = null);
