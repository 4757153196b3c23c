using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>Loads the Chronos-2 fixture checkpoints (set-a random model, official dummy) and their golden files.</summary>
internal static class Chronos2Fixtures
{
    public static string SetAModel => Fixtures.SetA("chronos-2", "model");

    public static Chronos2Pipeline LoadSetA(ScalarType dtype = ScalarType.Float32)
    {
        TorchRuntime.SetThreads(2);
        var pipeline = Chronos2Pretrained.Load(SetAModel, dtype);
        pipeline.Warn = _ => { };
        return pipeline;
    }

    public static Chronos2Pipeline LoadDummy()
    {
        TorchRuntime.SetThreads(2);
        var pipeline = Chronos2Pretrained.Load(Fixtures.Dummy("dummy-chronos2-model", "model"));
        pipeline.Warn = _ => { };
        return pipeline;
    }

    public static Dictionary<string, Tensor> Golden(string file) => SafeTensorsFixture.Read(Fixtures.SetA("chronos-2", file));

    /// <summary>Rows of a (V, T) tensor as arrays.</summary>
    public static float[][] Rows(Tensor matrix) =>
        Enumerable.Range(0, (int)matrix.shape[0]).Select(i => matrix[i].data<float>().ToArray()).ToArray();
}
