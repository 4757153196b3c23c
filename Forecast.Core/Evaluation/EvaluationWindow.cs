using Forecast.Core.Series;

namespace Forecast.Core.Evaluation;

/// <summary>One cutoff of an evaluation: every series' history up to the cutoff and the actuals of the horizon after it.</summary>
public sealed record EvaluationWindow(int Index, IReadOnlyList<TimeSeries> Histories, IReadOnlyList<double[]> Actuals);
