using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// shard/summary.json of a shard run: what the merge needs besides the per-series records of
/// <see cref="ShardSeriesFile"/> — which shard of which batch it is, the data it ran on (the whole dataset's
/// fingerprint, and the partitions read), cleaning's counts and dropped series, where the per-series entries of each
/// file start (the byte length of the file's head), how each forecast CSV wrote its times, and the plots drawn.
/// </summary>
public sealed record ShardSummary
{
    public const string FileName = "shard/summary.json";

    /// <summary>Bumped when the layout changes, so a merge never misreads shards of another Trainer version.</summary>
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public string Batch { get; init; } = "";
    public int Shard { get; init; }
    public int Shards { get; init; }
    public string Model { get; init; } = "";

    /// <summary>Whether the shard explored its series and drew forecast plots (config and feature flags), which the merge must match.</summary>
    public bool EdaEnabled { get; init; }

    public bool PlotsEnabled { get; init; }

    /// <summary>The fingerprint of the whole dataset (data_fingerprint.yaml of the merged run).</summary>
    public ShardData Data { get; init; } = new();

    /// <summary>The partitioned input the shard read its part of (null when it loaded data.path whole).</summary>
    public PartitionReference? Partitions { get; init; }

    public int SeriesIn { get; init; }
    public long RowsIn { get; init; }
    public int SeriesOut { get; init; }
    public long RowsOut { get; init; }

    /// <summary>The series cleaning dropped as too short, in series order.</summary>
    public IReadOnlyList<DroppedSeries> Dropped { get; init; } = [];

    public int Windows { get; init; }

    /// <summary>Byte length of the head of cleaning.yaml, eda/eda.yaml, metrics.yaml and of the header line of the forecast CSVs (0 for a file not written).</summary>
    public FileHeads Heads { get; init; } = new();

    /// <summary>Whether evaluation/forecasts.csv and forecasts.csv wrote times as dates (all at midnight) or date-times.</summary>
    public bool EvaluationCsvDateOnly { get; init; }

    public bool ForecastCsvDateOnly { get; init; }

    /// <summary>The EDA plots drawn (the shard's first series): series, file name without suffix, suffix.</summary>
    public IReadOnlyList<EdaPlotFile> EdaPlots { get; init; } = [];

    /// <summary>The forecast plots drawn: series and file under the run.</summary>
    public IReadOnlyList<ForecastPlotFile> Plots { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ShardSummary Parse(byte[] bytes, string location)
    {
        ShardSummary? summary;
        try
        {
            summary = JsonSerializer.Deserialize<ShardSummary>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new ShardMergeException($"{location} is not a shard summary ({e.Message}); rerun that shard.", e);
        }
        if (summary is null) throw new ShardMergeException($"{location} is empty; rerun that shard.");
        if (summary.Format != CurrentFormat)
            throw new ShardMergeException($"{location} was written by a Trainer with shard format {summary.Format}, this one reads {CurrentFormat}; rerun the shards with this Trainer.");
        return summary;
    }
}

public sealed record ShardData(string Sha256 = "", long Rows = 0, int Series = 0);

/// <summary>Which partitioned input a shard read: its location, its manifest's SHA-256 and the part.</summary>
public sealed record PartitionReference(string Location, string ManifestSha256, string Part);

public sealed record DroppedSeries(string Id, int Length);

public sealed record FileHeads(int Cleaning = 0, int Eda = 0, int Metrics = 0, int EvaluationCsv = 0, int ForecastCsv = 0);

public sealed record EdaPlotFile(string Series, string BaseName, string Suffix);

public sealed record ForecastPlotFile(string Series, string File);
