namespace Forecast.Evaluator.Model;

/// <summary>Metrics of posted forecasts: over all series (dataset) and per series, as in a run's metrics.yaml.</summary>
public sealed record ScoreResponse(int Series, IReadOnlyDictionary<string, double> Dataset, IReadOnlyList<SeriesMetrics> PerSeries);
