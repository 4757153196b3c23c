namespace Forecast.Core.Evaluation;

/// <summary>Everything one model scored on one dataset: the dataset metrics and the metrics of every series (input order).</summary>
public sealed record ModelScore(DatasetScore Dataset, IReadOnlyList<SeriesScore> PerSeries);
