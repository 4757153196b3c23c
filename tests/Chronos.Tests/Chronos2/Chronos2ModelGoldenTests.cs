using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Common;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// Set-a Chronos-2 per-series golden tensors (reference Chronos2Model/Chronos2Pipeline, eager attention): encoder
/// states, loc/scale, raw quantile predictions, forecasts for the golden horizon and the long one, predict_quantiles
/// (levels outside the trained range clamped) and embed — README tolerances (rtol 1e-4, atol 1e-4 × magnitude), with
/// both inference backends. Horizons and levels come from the golden files.
/// </summary>
public sealed class Chronos2ModelGoldenTests : IClassFixture<Chronos2ModelGoldenTests.Shared>
{
    public sealed class Shared : IDisposable
    {
        public Chronos2Pipeline Pipeline { get; } = Chronos2Fixtures.LoadSetA();
        public void Dispose() => Pipeline.Dispose();
    }

    private readonly Chronos2Pipeline shared;

    public Chronos2ModelGoldenTests(Shared shared) => this.shared = shared.Pipeline;

    private Chronos2Pipeline Pipeline(ChronosBackend backend)
    {
        shared.Inference = Backends.Options(backend);
        return shared;
    }

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Encode_and_forward_match_the_reference(string series, ChronosBackend backend)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var inference = Backends.Open(backend);
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var model = shared.Model;
        var outputPatches = (int)golden["quantile_preds"].shape[^1] / model.PatchSize;
        var encoding = model.Encode(inference, golden["context"], numOutputPatches: outputPatches);
        TensorAssert.Close(encoding.Loc, golden["loc"], "loc");
        TensorAssert.Close(encoding.Scale, golden["scale"], "scale");
        TensorAssert.Close(encoding.Hidden, golden["encoder_last_hidden_state"], "encoder_last_hidden_state");
        var (preds, loss) = model.forward(inference, golden["context"], numOutputPatches: outputPatches);
        loss.Should().BeNull();
        TensorAssert.Close(preds, golden["quantile_preds"], "quantile_preds");
    }

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Predict_matches_the_reference(string series, ChronosBackend backend)
    {
        using var scope = NewDisposeScope();
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var input = Chronos2Fixtures.Rows(golden["context"]);
        var forecast = Pipeline(backend).Predict(input, Fixtures.Horizon(golden, "forecast"));
        forecast.Should().HaveCount(1);
        TensorAssert.Close(forecast[0], golden["forecast"], "forecast");
    }

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Long_horizon_rollout_matches_the_reference(string series, ChronosBackend backend)
    {
        using var scope = NewDisposeScope();
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var forecast = Pipeline(backend).Predict(Chronos2Fixtures.Rows(golden["context"]), Fixtures.Horizon(golden, "forecast_long"));
        TensorAssert.Close(forecast[0], golden["forecast_long"], "forecast_long");
    }

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Predict_quantiles_clamps_levels_outside_training_and_matches_the_reference(string series, ChronosBackend backend)
    {
        using var scope = NewDisposeScope();
        var pipeline = Pipeline(backend);
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var (quantilesKey, levels) = Fixtures.QuantileKey(golden, "quantiles_");
        var warnings = new List<string>();
        pipeline.Warn = warnings.Add;
        var input = Chronos2Input.Univariate(golden["context"][0].data<float>().ToArray());
        var (quantiles, mean) = pipeline.PredictQuantiles([input], Fixtures.Horizon(golden, "mean"), levels);
        pipeline.Warn = _ => { };
        TensorAssert.Close(quantiles[0], golden[quantilesKey], quantilesKey);
        TensorAssert.Close(mean[0], golden["mean"], "mean");
        var outside = levels.Any(l => QuantileMath.IndexOfLevel(pipeline.Quantiles, l) < 0)
            && (levels.Min() < pipeline.Quantiles[0] || levels.Max() > pipeline.Quantiles[^1]);
        warnings.Where(w => w.Contains("not within the range")).Should().HaveCount(outside ? 1 : 0);
    }

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Embed_matches_the_reference(string series, ChronosBackend backend)
    {
        using var scope = NewDisposeScope();
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var input = Chronos2Input.Univariate(golden["context"][0].data<float>().ToArray());
        var (embeddings, locScale) = Pipeline(backend).Embed([input]);
        TensorAssert.Close(embeddings[0], golden["embed"], "embed");
        TensorAssert.Close(locScale[0].Loc, golden["embed_loc"], "embed_loc");
        TensorAssert.Close(locScale[0].Scale, golden["embed_scale"], "embed_scale");
    }
}
