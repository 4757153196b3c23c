using static TorchSharp.torch;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// save_pretrained for Chronos models: <c>config.json</c>, the weights (<c>model.safetensors</c>, or shards + index
/// above <paramref name="maxShardBytes"/>, tied copies dropped) and, for Chronos-T5, <c>generation_config.json</c> —
/// the files <c>from_pretrained</c> (Python) and <see cref="CheckpointResolver"/> read back.
/// </summary>
public static class ChronosCheckpointSaver
{
    /// <returns>The shard index when the weights were sharded, else null.</returns>
    public static SafetensorsIndex? Save(string folder, IReadOnlyDictionary<string, Tensor> stateDict, ChronosCheckpointConfig config,
        long maxShardBytes = SafetensorsShardWriter.DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(folder);
        var index = SafetensorsTorch.SaveCheckpoint(folder, stateDict, config.TieWordEmbeddings, maxShardBytes);
        config.Write(Path.Combine(folder, ChronosCheckpointConfig.FileName));
        var generation = Path.Combine(folder, "generation_config.json");
        if (config.GenerationConfigJson() is { } json)
            File.WriteAllText(generation, json);
        else
            File.Delete(generation);
        return index;
    }
}
