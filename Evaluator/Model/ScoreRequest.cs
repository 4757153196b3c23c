namespace Forecast.Evaluator.Model;

/// <summary>
/// Forecasts plus actuals to score (the seed API's role): every series has its actuals, a point forecast of the same
/// length and optionally quantile forecasts keyed by level ("0.1": [...]) and the history before the forecast
/// (needed for MASE). Quantile levels must be the same for every series.
/// </summary>
public sealed record ScoreRequest(
    IReadOnlyList<ScoredSeries>? Series,
    int? SeasonLength = null,
    IReadOnlyList<string>? Metrics = null);

/// <summary>One series of a <see cref="ScoreRequest"/>.</summary>
public sealed record ScoredSeries(
    string? Id,
    double[]? Actuals,
    double[]? Mean,
    IReadOnlyDictionary<string, double[]>? Quantiles = null,
    double[]? History = null);
