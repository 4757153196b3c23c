using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecast.Core.Models;

/// <summary>
/// The models a Trainer can run, as its model registry describes them: what the Dashboard's start form offers. The
/// Trainer writes it (<c>Forecast.Trainer models</c> prints it; every committed run publishes it to
/// <see cref="Key"/> under run.output), and the Dashboard reads it from there: the registry stays the one source.
/// </summary>
public sealed record RegisteredModels(IReadOnlyList<ModelDescription> Models)
{
    /// <summary>Where the catalog lives under a run output root (beside runs/).</summary>
    public const string Key = "trainer/models.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public ModelDescription? Find(string name) => Models.FirstOrDefault(m => m.Name == name);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="InvalidDataException">The bytes are not a model catalog; the message names <paramref name="location"/>.</exception>
    public static RegisteredModels Parse(ReadOnlySpan<byte> json, string location)
    {
        try
        {
            var catalog = JsonSerializer.Deserialize<RegisteredModels>(json, Json);
            if (catalog?.Models is null || catalog.Models.Any(m => m?.Name is not { Length: > 0 } || m.Variants is null))
                throw new InvalidDataException($"{location} is not a model catalog (expected {{\"models\": [{{\"name\": ..., \"variants\": [...]}}]}}).");
            return catalog;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{location} is not valid JSON: {e.Message}", e);
        }
    }
}

/// <summary>
/// One registered model: its <c>model.name</c>, a one-line summary, and its variants (empty for models without any).
/// </summary>
public sealed record ModelDescription(string Name, string Summary, IReadOnlyList<ModelVariantDescription> Variants);

/// <summary>A variant (<c>model.&lt;name&gt;.variant</c>) and the checkpoints known to work with it.</summary>
public sealed record ModelVariantDescription(string Name, string Summary, IReadOnlyList<ModelCheckpointDescription> Checkpoints);

/// <summary>A checkpoint reference (<c>model.&lt;name&gt;.checkpoint</c>: a hub id, a folder or an s3:// prefix) and what it is.</summary>
public sealed record ModelCheckpointDescription(string Reference, string Note);
