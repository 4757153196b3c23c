using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecast.Core.Artifacts.Catalog;

/// <summary>
/// One run's object in the index (see <see cref="RunIndex"/>): its <see cref="RunSummary"/> and the size and SHA-256
/// of the manifest it summarises. <see cref="Schema"/> names the summary's shape: an entry written before
/// <see cref="RunSummary"/> gained or changed a field is stale and the catalog rebuilds that summary from the run's
/// files instead of reading defaults into it.
/// </summary>
internal sealed record RunIndexEntry(string Schema, long ManifestSize, string ManifestSha256, RunSummary Summary)
{
    /// <summary>"summary-" and the first 12 hex digits of SHA-256 over RunSummary's parameter names and types.</summary>
    public static readonly string CurrentSchema = SchemaOf(typeof(RunSummary));

    /// <summary>Also the options of the summary a manifest carries (<see cref="ManifestSummary"/>).</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        // Metrics are NaN where undefined (MAPE of a zero actual); JSON has no NaN, so they travel as "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // An entry missing a field or holding null where the summary has none is damaged, not a summary with holes.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static RunIndexEntry Create(RunManifest manifest, ReadOnlySpan<byte> manifestJson, RunSummary summary) =>
        new(CurrentSchema, manifestJson.Length, Convert.ToHexStringLower(SHA256.HashData(manifestJson)), summary);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The entry, or null when the bytes are not an entry of the current schema (damaged, or written by an older version).</summary>
    public static RunIndexEntry? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<RunIndexEntry>(json, Json);
            return entry is { Summary: not null } && entry.Schema == CurrentSchema ? entry : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string SchemaOf(Type type)
    {
        var shape = new StringBuilder();
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        foreach (var parameter in constructor.GetParameters()) shape.Append(parameter.Name).Append(':').Append(parameter.ParameterType.FullName).Append(';');
        return "summary-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shape.ToString())))[..12];
    }
}
