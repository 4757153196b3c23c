using Forecast.Core.Series;

namespace Forecast.Core.Cleaning;

/// <summary>
/// How the loaded series are made regular. Config section <c>cleaning:</c>; keys and defaults are in docs/data.md.
/// </summary>
public sealed record CleaningOptions
{
    /// <summary>The sampling frequency of every series; null infers it per series from the timestamps.</summary>
    public Frequency? Frequency { get; init; }

    public DuplicatePolicy Duplicates { get; init; } = DuplicatePolicy.Error;

    public FillPolicy FillMissing { get; init; } = FillPolicy.Linear;

    /// <summary>Series with fewer points than this (after reindexing) are handled by <see cref="ShortSeries"/>.</summary>
    public int MinLength { get; init; } = 1;

    public ShortSeriesPolicy ShortSeries { get; init; } = ShortSeriesPolicy.Drop;
}
