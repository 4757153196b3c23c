using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// The official tiny checkpoint test/dummy-chronos2-model (written by transformers 4.54.1) loads through the public
/// loader and reproduces the reference pipeline's recorded forecast (at the recorded horizon), embeddings and
/// loc/scale, with both inference backends.
/// </summary>
public sealed class Chronos2DummyCheckpointTests
{
    [Theory]
    [Series(ChronosBackend.Libtorch, Dummy = "dummy-chronos2-model")]
    [Series(ChronosBackend.Kernels, Dummy = "dummy-chronos2-model")]
    public void Official_dummy_checkpoint_reproduces_recorded_outputs(string series, ChronosBackend backend)
    {
        using var pipeline = Chronos2Fixtures.LoadDummy();
        pipeline.Inference = Backends.Options(backend);
        using var scope = NewDisposeScope();
        var golden = SafeTensorsFixture.Read(Fixtures.Dummy("dummy-chronos2-model", series + ".safetensors"));
        var input = Chronos2Input.Univariate(golden["context"][0].data<float>().ToArray());

        var forecast = pipeline.Predict([input], Fixtures.Horizon(golden, "forecast"));
        TensorAssert.Close(forecast[0], golden["forecast"], "forecast");

        var (embeddings, locScale) = pipeline.Embed([input]);
        TensorAssert.Close(embeddings[0], golden["embed"], "embed");
        TensorAssert.Close(locScale[0].Loc, golden["loc"], "loc");
        TensorAssert.Close(locScale[0].Scale, golden["scale"], "scale");
    }

    [Fact]
    public void Dummy_config_is_read_with_the_official_chronos_config()
    {
        var config = Forecast.Chronos.Checkpoints.ChronosCheckpointConfig.Read(Fixtures.Dummy("dummy-chronos2-model", "model", "config.json"));
        config.Chronos2Core!.DModel.Should().Be(6);
        config.Chronos2Core.NumLayers.Should().Be(2);
        config.Chronos2Core.NumHeads.Should().Be(4);
        config.Chronos2Core.DKv.Should().Be(4);
        config.Chronos2!.Quantiles.Should().HaveCount(21);
        config.Chronos2.UseArcsinh.Should().BeTrue();
        config.Chronos2.PredictionLength.Should().Be(1024);
        config.Chronos2.EffectiveTimeEncodingScale.Should().Be(8192);
    }
}
