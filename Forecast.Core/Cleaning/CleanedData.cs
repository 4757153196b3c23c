using Forecast.Core.Series;

namespace Forecast.Core.Cleaning;

/// <summary>The regular series (with <see cref="TimeSeries.Frequency"/> set) and the report of what changed.</summary>
public sealed record CleanedData(IReadOnlyList<TimeSeries> Series, CleaningReport Report)
{
    /// <summary>The series dropped as too short, with their lengths, in series order (the report keeps only their ids).</summary>
    public IReadOnlyList<(string Id, int Length)> Dropped { get; init; } = [];
}
