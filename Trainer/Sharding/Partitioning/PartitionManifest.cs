using System.Text.Json;
using System.Text.Json.Serialization;
using Forecast.Core.Data;

namespace Forecast.Trainer.Sharding.Partitioning;

/// <summary>
/// partitions.json, written last by the partition step (so a folder without it is not a partitioned input): the batch,
/// the number of parts, the hash, the dataset the parts were cut from (its fingerprint is the run's), the column names,
/// and every part with its SHA-256, rows and series. A shard reads it to find, check and load only its own part.
/// </summary>
public sealed record PartitionManifest
{
    public const string FileName = "partitions.json";

    /// <summary>The Parquet key-value metadata of every part: <see cref="PartMetadata"/> as JSON.</summary>
    public const string MetadataKey = "forecast.partition";

    public const string Hash = "FNV-1a-64 of the UTF-8 unique_id, mod parts";

    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public string Batch { get; init; } = "";
    public int Parts { get; init; }

    [JsonPropertyName("hash")]
    public string HashFunction { get; init; } = Hash;

    public PartitionSource Source { get; init; } = new();
    public PartitionColumns Columns { get; init; } = new();
    public IReadOnlyList<PartitionFile> Files { get; init; } = [];

    /// <summary>part-00007-of-00050.parquet: zero-padded so that the parts list in order.</summary>
    public static string PartFileName(int part, int parts) => $"part-{part:D5}-of-{parts:D5}.parquet";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The manifest at <paramref name="location"/>; anything malformed or inconsistent is a <see cref="DataException"/> naming it.</summary>
    public static PartitionManifest Parse(byte[] bytes, string location)
    {
        PartitionManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PartitionManifest>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new DataException($"not a partition manifest ({e.Message}); run the partition step again.", location, inner: e);
        }
        if (manifest is null) throw new DataException("the partition manifest is empty; run the partition step again.", location);
        if (manifest.Format != CurrentFormat)
            throw new DataException($"partition format {manifest.Format}; this Trainer reads format {CurrentFormat}: run the partition step with this Trainer.", location, field: "format");
        if (manifest.HashFunction != Hash)
            throw new DataException($"the parts are cut by '{manifest.HashFunction}', the shards by '{Hash}'.", location, field: "hash");
        if (manifest.Parts < 1 || manifest.Parts > ShardSpec.MaxCount)
            throw new DataException($"parts must be between 1 and {ShardSpec.MaxCount}, not {manifest.Parts}.", location, field: "parts");
        if (manifest.Files.Count != manifest.Parts || manifest.Files.Select((f, i) => f.Part == i && f.File == PartFileName(i, manifest.Parts)).Any(ok => !ok))
            throw new DataException($"files must list the {manifest.Parts} parts in order, part i as {PartFileName(0, manifest.Parts).Replace("00000-", "<i>-", StringComparison.Ordinal)}.", location, field: "files");
        return manifest;
    }
}

/// <summary>The dataset the parts were cut from: data.path as configured and its fingerprint (data_fingerprint.yaml of every shard and of the merged run).</summary>
public sealed record PartitionSource(string Path = "", string Sha256 = "", long Rows = 0, int Series = 0);

/// <summary>The parts' column names (those of the data config the partition step ran with).</summary>
public sealed record PartitionColumns(string Id = "unique_id", string Time = "ds", string Target = "y", IReadOnlyList<string>? Covariates = null);

public sealed record PartitionFile(int Part = 0, string File = "", string Sha256 = "", long Rows = 0, int Series = 0);

/// <summary>Inside every part (Parquet key-value metadata): which batch and part it is, so a part copied from another batch is caught.</summary>
public sealed record PartMetadata(string Batch = "", int Part = 0, int Parts = 0)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PartMetadata? TryParse(string? json)
    {
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<PartMetadata>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
