using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Loading;
using Forecast.Chronos.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Builds a <see cref="Chronos2Pipeline"/> from a local checkpoint folder (config.json + model.safetensors), as
/// Chronos2Pipeline.from_pretrained does; the weights are loaded by name and checked (a missing tensor or a shape
/// mismatch names the tensor). The buffers quantiles / inv_freq are not in the file: they are recomputed.
/// </summary>
public static class Chronos2Pretrained
{
    /// <param name="dtype">float32 (default, as from_pretrained without torch_dtype) or bfloat16/float16.</param>
    public static Chronos2Pipeline Load(string directory, ScalarType dtype = ScalarType.Float32) =>
        Load(directory, dtype, model =>
        {
            using var file = SafetensorsFile.Open(Path.Combine(directory, ChronosPretrained.WeightsFileName));
            StateDictLoader.Load(model, file);
        });

    /// <summary>As <see cref="Load(string, ScalarType)"/> with the weights from another reader of model.safetensors.</summary>
    public static Chronos2Pipeline Load(string directory, TensorFileReader readTensors, ScalarType dtype = ScalarType.Float32) =>
        Load(directory, dtype, model =>
        {
            var path = Path.Combine(directory, ChronosPretrained.WeightsFileName);
            var tensors = readTensors(path);
            try
            {
                model.LoadWeights(tensors, path);
            }
            finally
            {
                foreach (var tensor in tensors.Values)
                    tensor.Dispose();
            }
        });

    private static Chronos2Pipeline Load(string directory, ScalarType dtype, Action<Chronos2Model> loadWeights)
    {
        var config = Chronos2CheckpointConfig.Read(Path.Combine(directory, ChronosPretrained.ConfigFileName));
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"Models run in float32, bfloat16 or float16, not {dtype}.", nameof(dtype));
        TorchRuntime.EnsureLoaded();
        var model = new Chronos2Model(config.Core, config.Forecasting);
        try
        {
            loadWeights(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        if (dtype != ScalarType.Float32)
            model.to(dtype);
        return new Chronos2Pipeline(model);
    }
}
