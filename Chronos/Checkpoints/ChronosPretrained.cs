using Forecast.Chronos.Bolt;
using Forecast.Chronos.ChronosT5;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Builds a Chronos-T5 or Chronos-Bolt pipeline from a local checkpoint folder (config.json + model.safetensors or
/// shards), for callers who know the family; Chronos.FromPretrained picks it from config.json. The
/// weights are loaded by name and checked (a missing tensor or a shape mismatch names the tensor).
/// </summary>
public static class ChronosPretrained
{
    public const string ConfigFileName = ChronosCheckpointConfig.FileName;
    public const string WeightsFileName = SafetensorsCheckpoint.SingleFileName;

    /// <param name="dtype">
    /// Compute dtype: float32 by default, as HF from_pretrained without torch_dtype (config.json's torch_dtype is not
    /// applied, it may even disagree with the stored tensors); bfloat16 is the opt-in fast path on CPUs with AVX512-BF16.
    /// </param>
    public static ChronosBoltPipeline LoadBolt(string directory, ScalarType dtype = ScalarType.Float32) =>
        LoadBolt(ReadConfig(directory, ChronosModelFamily.ChronosBolt), directory, dtype, null);

    /// <inheritdoc cref="LoadBolt(string, ScalarType)"/>
    public static ChronosT5Pipeline LoadT5(string directory, ScalarType dtype = ScalarType.Float32) =>
        LoadT5(ReadConfig(directory, ChronosModelFamily.ChronosT5), directory, dtype, null);

    /// <summary>As <see cref="LoadBolt(string, ScalarType)"/> with the weights from another source (a reader of model.safetensors).</summary>
    public static ChronosBoltPipeline LoadBolt(string directory, TensorFileReader readTensors, ScalarType dtype = ScalarType.Float32) =>
        LoadBolt(ReadConfig(directory, ChronosModelFamily.ChronosBolt), directory, dtype, readTensors);

    /// <summary>As <see cref="LoadT5(string, ScalarType)"/> with the weights from another source.</summary>
    public static ChronosT5Pipeline LoadT5(string directory, TensorFileReader readTensors, ScalarType dtype = ScalarType.Float32) =>
        LoadT5(ReadConfig(directory, ChronosModelFamily.ChronosT5), directory, dtype, readTensors);

    internal static ChronosBoltPipeline LoadBolt(ChronosCheckpointConfig config, string directory, ScalarType dtype, TensorFileReader? readTensors)
    {
        CheckDType(dtype);
        TorchRuntime.EnsureLoaded();
        var model = new ChronosBoltModel(config.T5!, config.Bolt!);
        LoadWeights(directory, config, model, ChronosBoltModel.IgnorableTensors, readTensors);
        // Chronos-Bolt: only the T5 stacks change dtype (ChronosBoltModel.UseStackDType).
        if (dtype != ScalarType.Float32)
            model.UseStackDType(dtype);
        return new ChronosBoltPipeline(model);
    }

    internal static ChronosT5Pipeline LoadT5(ChronosCheckpointConfig config, string directory, ScalarType dtype, TensorFileReader? readTensors)
    {
        CheckDType(dtype);
        TorchRuntime.EnsureLoaded();
        var model = new ChronosT5Model(config.T5!);
        LoadWeights(directory, config, model, model.IgnorableTensors, readTensors);
        if (dtype != ScalarType.Float32)
            model.to(dtype);
        return new ChronosT5Pipeline(model, config.ChronosT5!);
    }

    internal static void CheckDType(ScalarType dtype)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"Models run in float32, bfloat16 or float16, not {dtype}.", nameof(dtype));
    }

    private static ChronosCheckpointConfig ReadConfig(string directory, ChronosModelFamily expected)
    {
        var config = ChronosCheckpointConfig.ReadFolder(directory);
        if (config.Family != expected)
            throw new CheckpointConfigException(config.Path,
                $"architectures[0] '{(config.Architectures.Count > 0 ? config.Architectures[0] : "")}' is a {config.Family} checkpoint, not "
                + $"{expected}; load it with {(config.Family == ChronosModelFamily.Chronos2 ? "Chronos2Pretrained.Load" : "Chronos.FromPretrained")}, "
                + "which reads the family from config.json.");
        return config;
    }

    /// <summary>Copies the weights into <paramref name="model"/> (disposed on failure), from the folder or the given reader.</summary>
    internal static void LoadWeights(string directory, ChronosCheckpointConfig config, nn.Module model, IReadOnlyCollection<string> ignorable,
        TensorFileReader? readTensors)
    {
        try
        {
            if (readTensors is null)
            {
                using var checkpoint = SafetensorsCheckpoint.Open(directory, config.TieWordEmbeddings);
                StateDictLoader.Load(model, checkpoint, ignorable);
                return;
            }
            var path = Path.Combine(directory, WeightsFileName);
            var tensors = readTensors(path);
            try
            {
                StateDictLoader.Load(model, tensors, path, ignorable);
            }
            finally
            {
                foreach (var tensor in tensors.Values)
                    tensor.Dispose();
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
