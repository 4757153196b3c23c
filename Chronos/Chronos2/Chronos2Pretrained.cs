using Forecast.Chronos.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Builds a <see cref="Chronos2Pipeline"/> from a local checkpoint folder (config.json + model.safetensors), as
/// Chronos2Pipeline.from_pretrained does; the weights are loaded by name and checked.
/// </summary>
public static class Chronos2Pretrained
{
    /// <param name="readTensors">Reads every tensor of model.safetensors (the checkpoint I/O of this library).</param>
    /// <param name="dtype">float32 (default, as from_pretrained without torch_dtype) or bfloat16/float16.</param>
    public static Chronos2Pipeline Load(string directory, TensorFileReader readTensors, ScalarType dtype = ScalarType.Float32)
    {
        var config = Chronos2CheckpointConfig.Read(Path.Combine(directory, ChronosPretrained.ConfigFileName));
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"Models run in float32, bfloat16 or float16, not {dtype}.", nameof(dtype));
        TorchRuntime.EnsureLoaded();
        var model = new Chronos2Model(config.Core, config.Forecasting);
        var path = Path.Combine(directory, ChronosPretrained.WeightsFileName);
        try
        {
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
