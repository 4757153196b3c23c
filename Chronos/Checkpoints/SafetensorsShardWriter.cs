using System.Globalization;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Writes a checkpoint's weights as save_pretrained does: one <c>model.safetensors</c> when everything fits in
/// <c>maxShardBytes</c> (transformers default "5GB"), else <c>model-0000i-of-0000n.safetensors</c> shards plus
/// <c>model.safetensors.index.json</c>. Sharding follows huggingface_hub split_state_dict_into_shards_factory:
/// tensors in the given order, a new shard when the next tensor would overflow the current one, a tensor larger
/// than the limit alone in its shard.
/// </summary>
public static class SafetensorsShardWriter
{
    /// <summary>transformers save_pretrained max_shard_size="5GB" (decimal units, huggingface_hub parse_size_to_int).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>Writes into <paramref name="folder"/>; returns the index when sharded, null for a single file.</summary>
    public static SafetensorsIndex? Write(string folder, IReadOnlyList<SafetensorsTensorSpec> tensors, TensorDataWriter writeData,
        long maxShardBytes = DefaultMaxShardBytes, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (maxShardBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxShardBytes), maxShardBytes, "the shard size limit must be positive.");
        Directory.CreateDirectory(folder);
        var shards = Split(tensors, maxShardBytes);
        var stale = Path.Combine(folder, SafetensorsIndex.FileName);
        if (shards.Count == 1)
        {
            SafetensorsWriter.Write(Path.Combine(folder, SafetensorsCheckpoint.SingleFileName), shards[0], writeData, metadata);
            File.Delete(stale);
            return null;
        }
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"model-{i + 1:00000}-of-{shards.Count:00000}.safetensors");
            SafetensorsWriter.Write(Path.Combine(folder, name), shards[i], writeData, metadata);
            foreach (var tensor in shards[i])
                weightMap[tensor.Name] = name;
        }
        var index = new SafetensorsIndex(tensors.Sum(t => t.ByteLength), weightMap);
        index.Write(stale);
        // A single file would win over the index on load (SafetensorsCheckpoint.Open, from_pretrained): remove an old one.
        File.Delete(Path.Combine(folder, SafetensorsCheckpoint.SingleFileName));
        return index;
    }

    private static List<List<SafetensorsTensorSpec>> Split(IReadOnlyList<SafetensorsTensorSpec> tensors, long maxShardBytes)
    {
        var shards = new List<List<SafetensorsTensorSpec>>();
        var current = new List<SafetensorsTensorSpec>();
        long size = 0;
        foreach (var tensor in tensors)
        {
            var bytes = tensor.ByteLength;
            if (bytes > maxShardBytes)
            {
                shards.Add([tensor]);
                continue;
            }
            if (size + bytes > maxShardBytes && current.Count > 0)
            {
                shards.Add(current);
                current = [];
                size = 0;
            }
            current.Add(tensor);
            size += bytes;
        }
        if (current.Count > 0 || shards.Count == 0)
            shards.Add(current);
        return shards;
    }
}
