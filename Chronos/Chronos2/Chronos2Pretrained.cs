using Forecast.Chronos.Checkpoints;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Builds a <see cref="Chronos2Pipeline"/> from a local checkpoint folder (config.json + model.safetensors or shards),
/// as Chronos2Pipeline.from_pretrained does, for callers who know the family (Chronos.FromPretrained
/// picks it from config.json); the weights are loaded by name and checked (a missing tensor or a shape mismatch names
/// the tensor). The buffers quantiles / inv_freq are not in the file: they are recomputed.
/// </summary>
public static class Chronos2Pretrained
{
    /// <param name="dtype">
    /// float32 (default, as from_pretrained without torch_dtype), or bfloat16/float16 for the encoder's linear layers
    /// only (<see cref="Chronos2Model.UseEncoderDType"/>).
    /// </param>
    public static Chronos2Pipeline Load(string directory, ScalarType dtype = ScalarType.Float32) =>
        Load(ReadConfig(directory), directory, dtype, null);

    /// <summary>As <see cref="Load(string, ScalarType)"/> with the weights from another reader of model.safetensors.</summary>
    public static Chronos2Pipeline Load(string directory, TensorFileReader readTensors, ScalarType dtype = ScalarType.Float32) =>
        Load(ReadConfig(directory), directory, dtype, readTensors);

    internal static Chronos2Pipeline Load(ChronosCheckpointConfig config, string directory, ScalarType dtype, TensorFileReader? readTensors)
    {
        ChronosPretrained.CheckDType(dtype);
        TorchRuntime.EnsureLoaded();
        var model = new Chronos2Model(config.Chronos2Core!, config.Chronos2!);
        ChronosPretrained.LoadWeights(directory, config, model, [], readTensors);
        if (dtype != ScalarType.Float32)
            model.UseEncoderDType(dtype);
        return new Chronos2Pipeline(model);
    }

    private static ChronosCheckpointConfig ReadConfig(string directory)
    {
        var config = ChronosCheckpointConfig.ReadFolder(directory);
        if (config.Family != ChronosModelFamily.Chronos2)
            throw new CheckpointConfigException(config.Path,
                $"architectures[0] '{(config.Architectures.Count > 0 ? config.Architectures[0] : "")}' is a {config.Family} checkpoint, not "
                + "Chronos2Model; load it with Chronos.FromPretrained, which reads the family from config.json.");
        return config;
    }
}
