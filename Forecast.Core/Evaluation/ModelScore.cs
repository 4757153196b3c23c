namespace Forecast.Core.Evaluation;

/// <summary>Everything one model scored on one dataset: the dataset metrics and the metrics of every series (input order).</summary>
public sealed record ModelScore(DatasetScore Dataset, IReadOnlyList<SeriesScore> PerSeries)
{
    /// <summary>What the metrics were computed from, per series (same order), for combining with other series' scores.</summary>
    public IReadOnlyList<SeriesErrorStatistics> Statistics { get; init; } = [];
}
