using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecast.Core.Artifacts;

/// <summary>
/// manifest.json, the last object of a run: its presence commits the run. Lists every file of the run with its size
/// and SHA-256 so a reader can verify the run is whole.
/// </summary>
public sealed record RunManifest(string RunId, string Status, DateTime StartedUtc, DateTime CommittedUtc, IReadOnlyList<ManifestEntry> Files)
{
    /// <summary>
    /// The run's summary for the run catalog (Catalog.ManifestSummary: schema and summary), written by
    /// <see cref="RunWriter"/> so a catalog lists the run with one read of this file; absent in manifests written
    /// before it existed.
    /// </summary>
    [JsonInclude, JsonPropertyName("catalog"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal JsonElement? Catalog { get; init; }

    public const string FileName = "manifest.json";
    public const string CommittedStatus = "committed";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static RunManifest Parse(ReadOnlySpan<byte> json, string location) =>
        JsonSerializer.Deserialize<RunManifest>(json, Json)
        ?? throw new InvalidDataException($"{location} is empty; a run manifest must be a JSON object.");
}

/// <summary>One file of a run: its path relative to the run folder, size in bytes and SHA-256 (lower-case hex).</summary>
public sealed record ManifestEntry(string Path, long Size, string Sha256);
