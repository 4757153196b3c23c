namespace Forecast.Core.Cleaning;

/// <summary>
/// What cleaning changed, written by the pipeline as <c>cleaning.yaml</c>: plain properties (strings, numbers,
/// lists) so any YAML or JSON serializer writes it as is.
/// </summary>
public sealed record CleaningReport
{
    public int SeriesIn { get; init; }
    public int SeriesOut { get; init; }
    public long RowsIn { get; init; }
    public long RowsOut { get; init; }
    public string Duplicates { get; init; } = "";
    public string FillMissing { get; init; } = "";
    public int MinLength { get; init; }

    /// <summary>Ids of series dropped because they were shorter than <see cref="MinLength"/>.</summary>
    public IReadOnlyList<string> DroppedSeries { get; init; } = [];

    /// <summary>Human-readable warnings (short series dropped, ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>One entry per series that was kept, in output order.</summary>
    public IReadOnlyList<SeriesCleaningReport> Series { get; init; } = [];
}

/// <summary>What cleaning did to one series.</summary>
public sealed record SeriesCleaningReport
{
    public string Id { get; init; } = "";

    /// <summary>The frequency as a pandas alias ("h", "15min", "MS").</summary>
    public string Frequency { get; init; } = "";

    /// <summary>"inferred" or "config".</summary>
    public string FrequencySource { get; init; } = "";

    public int LengthIn { get; init; }
    public int LengthOut { get; init; }

    /// <summary>Rows merged into another row with the same timestamp.</summary>
    public int DuplicatesMerged { get; init; }

    /// <summary>Timestamps absent from the data and added by reindexing to the regular grid.</summary>
    public int TimestampsAdded { get; init; }

    /// <summary>Missing values (NaN in the data or added by reindexing) before filling.</summary>
    public int MissingValues { get; init; }

    /// <summary>Missing values that the fill policy replaced.</summary>
    public int ValuesFilled { get; init; }
}
