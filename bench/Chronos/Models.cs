using Forecast.Chronos.Bolt;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Bench;

/// <summary>
/// Official model sizes with random weights (speed does not depend on the values): Bolt-small/base and T5-small as in
/// speed.md. Weights are drawn N(0, 0.05²)-ish by TorchSharp's default init, then layer norms set to 1.
/// </summary>
internal static class Models
{
    public static T5Config BoltSmall => new() { DModel = 512, DFf = 2048, NumLayers = 6, NumDecoderLayers = 6, NumHeads = 8, DKv = 64 };
    public static T5Config BoltBase => new() { DModel = 768, DFf = 3072, NumLayers = 12, NumDecoderLayers = 12, NumHeads = 12, DKv = 64 };
    public static T5Config T5Small => new() { DModel = 512, DFf = 2048, NumLayers = 6, NumDecoderLayers = 6, NumHeads = 8, DKv = 64, VocabSize = 4096 };

    public static ChronosBoltPipeline Bolt(T5Config config, ScalarType dtype)
    {
        random.manual_seed(1);
        var model = new ChronosBoltModel(config, new ChronosBoltConfig());
        if (dtype != ScalarType.Float32)
            model.UseStackDType(dtype);
        // A benchmark process does nothing but forecast: both process-wide tunings on, as the Trainer runs.
        return new ChronosBoltPipeline(model) { Warn = _ => { }, Inference = ChronosInferenceOptions.ForDedicatedProcess() };
    }

    public static ChronosT5Pipeline T5(T5Config config)
    {
        random.manual_seed(1);
        return new ChronosT5Pipeline(new ChronosT5Model(config), new ChronosConfig())
        {
            Warn = _ => { },
            Inference = ChronosInferenceOptions.ForDedicatedProcess(),
        };
    }

    /// <summary>Random walks of length 512 (speed.md inputs).</summary>
    public static Tensor RandomWalks(int count, int length = 512, int seed = 7)
    {
        var random = new Random(seed);
        var data = new float[count * length];
        for (var i = 0; i < count; i++)
        {
            double value = 100;
            for (var t = 0; t < length; t++)
            {
                value += random.NextDouble() * 2 - 1;
                data[i * length + t] = (float)value;
            }
        }
        return tensor(data, [count, length]);
    }
}
