using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// <c>model.safetensors.index.json</c> of a sharded checkpoint: {"metadata": {"total_size": bytes of all tensors},
/// "weight_map": {tensor name → shard file}} (transformers modeling_utils.save_pretrained, SAFE_WEIGHTS_INDEX_NAME).
/// </summary>
public sealed record SafetensorsIndex(long TotalSize, IReadOnlyDictionary<string, string> WeightMap)
{
    public const string FileName = "model.safetensors.index.json";

    /// <summary>The shard files in first-use order.</summary>
    public IReadOnlyList<string> Shards => WeightMap.Values.Distinct(StringComparer.Ordinal).ToList();

    public static SafetensorsIndex Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException error)
        {
            throw new CheckpointConfigException(path, $"not valid JSON (line {error.LineNumber + 1}): {error.Message}", error);
        }
        if (root is not JsonObject obj || obj["weight_map"] is not JsonObject map)
            throw new CheckpointConfigException(path, "expected an object with a 'weight_map' object {tensor name: shard file}.");
        var weights = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in map)
        {
            var file = value is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : throw new CheckpointConfigException(path, $"weight_map['{name}'] must be a file name string.");
            if (file.Length == 0 || file != System.IO.Path.GetFileName(file) || file is "." or "..")
                throw new CheckpointConfigException(path,
                    $"weight_map['{name}'] = '{file}' is not a file name in the checkpoint folder.");
            weights[name] = file;
        }
        long total = 0;
        if (obj["metadata"] is JsonObject metadata && metadata["total_size"] is JsonValue size && !size.TryGetValue(out total))
            total = size.TryGetValue<double>(out var d) ? (long)d : 0;
        return new SafetensorsIndex(total, weights);
    }

    /// <summary>Writes the index as transformers does: json.dumps(index, indent=2, sort_keys=True) + "\n".</summary>
    public void Write(string path)
    {
        var root = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = TotalSize },
            ["weight_map"] = new JsonObject(WeightMap.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))),
        };
        File.WriteAllText(path, PythonJson.Serialize(root) + "\n");
    }
}
