using Forecast.Chronos.Bolt;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.ChronosT5;

namespace Forecast.Chronos.Tests.Support;

/// <summary>Builds models from fixture checkpoints, through the library's config.json reader and a plain tensor read of the weights.</summary>
internal static class TestModels
{
    public static ChronosBoltModel LoadBolt(string modelDirectory)
    {
        TorchRuntime.SetThreads(2);
        var config = ChronosCheckpointConfig.ReadFolder(modelDirectory);
        var model = new ChronosBoltModel(config.T5!, config.Bolt!);
        var weightsPath = Path.Combine(modelDirectory, "model.safetensors");
        model.LoadWeights(SafeTensorsFixture.Read(weightsPath), weightsPath);
        model.eval();
        return model;
    }

    public static ChronosT5Pipeline LoadT5Pipeline(string modelDirectory) =>
        new(LoadT5(modelDirectory), ChronosCheckpointConfig.ReadFolder(modelDirectory).ChronosT5!);

    public static ChronosT5Model LoadT5(string modelDirectory)
    {
        TorchRuntime.SetThreads(2);
        var model = new ChronosT5Model(ChronosCheckpointConfig.ReadFolder(modelDirectory).T5!);
        var weightsPath = Path.Combine(modelDirectory, "model.safetensors");
        model.LoadWeights(SafeTensorsFixture.Read(weightsPath), weightsPath);
        model.eval();
        return model;
    }
}
