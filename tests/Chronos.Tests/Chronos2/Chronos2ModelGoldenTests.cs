using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// Set-a Chronos-2 per-series golden tensors (reference Chronos2Model/Chronos2Pipeline, eager attention): encoder
/// states, loc/scale, raw quantile predictions, forecasts for H = 64 and the long horizon 1100, predict_quantiles
/// (0.995 clamped) and embed — README tolerances (rtol 1e-4, atol 1e-4 × magnitude).
/// </summary>
public sealed class Chronos2ModelGoldenTests : IClassFixture<Chronos2ModelGoldenTests.Shared>
{
    public sealed class Shared : IDisposable
    {
        public Chronos2Pipeline Pipeline { get; } = Chronos2Fixtures.LoadSetA();
        public void Dispose() => Pipeline.Dispose();
    }

    private const int Horizon = 64;
    private const int LongHorizon = 1100;
    private readonly Chronos2Pipeline pipeline;

    public Chronos2ModelGoldenTests(Shared shared) => pipeline = shared.Pipeline;

    public static TheoryData<string> Series => new(Fixtures.SeriesNames);

    [Theory]
    [MemberData(nameof(Series))]
    public void Encode_and_forward_match_the_reference(string series)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var outputPatches = (Horizon + 15) / 16;
        var encoding = pipeline.Model.Encode(golden["context"], numOutputPatches: outputPatches);
        TensorAssert.Close(encoding.Loc, golden["loc"], "loc");
        TensorAssert.Close(encoding.Scale, golden["scale"], "scale");
        TensorAssert.Close(encoding.Hidden, golden["encoder_last_hidden_state"], "encoder_last_hidden_state");
        var (preds, loss) = pipeline.Model.forward(golden["context"], numOutputPatches: outputPatches);
        loss.Should().BeNull();
        TensorAssert.Close(preds, golden["quantile_preds"], "quantile_preds");
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void Predict_matches_the_reference(string series)
    {
        using var scope = NewDisposeScope();
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var input = Chronos2Fixtures.Rows(golden["context"]);
        var forecast = pipeline.Predict(input, Horizon);
        forecast.Should().HaveCount(1);
        TensorAssert.Close(forecast[0], golden["forecast"], "forecast");
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void Long_horizon_rollout_matches_the_reference(string series)
    {
        using var scope = NewDisposeScope();
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var forecast = pipeline.Predict(Chronos2Fixtures.Rows(golden["context"]), LongHorizon);
        TensorAssert.Close(forecast[0], golden["forecast_long"], "forecast_long");
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void Predict_quantiles_clamps_levels_outside_training_and_matches_the_reference(string series)
    {
        using var scope = NewDisposeScope();
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var warnings = new List<string>();
        pipeline.Warn = warnings.Add;
        var input = Chronos2Input.Univariate(golden["context"][0].data<float>().ToArray());
        var (quantiles, mean) = pipeline.PredictQuantiles([input], Horizon, [0.1f, 0.5f, 0.9f, 0.995f]);
        pipeline.Warn = _ => { };
        TensorAssert.Close(quantiles[0], golden["quantiles_0_1_0_5_0_9_0_995"], "quantiles");
        TensorAssert.Close(mean[0], golden["mean"], "mean");
        warnings.Should().ContainSingle(w => w.Contains("not within the range"));
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void Embed_matches_the_reference(string series)
    {
        using var scope = NewDisposeScope();
        var golden = Chronos2Fixtures.Golden(series + ".safetensors");
        var input = Chronos2Input.Univariate(golden["context"][0].data<float>().ToArray());
        var (embeddings, locScale) = pipeline.Embed([input]);
        TensorAssert.Close(embeddings[0], golden["embed"], "embed");
        TensorAssert.Close(locScale[0].Loc, golden["embed_loc"], "embed_loc");
        TensorAssert.Close(locScale[0].Scale, golden["embed_scale"], "embed_scale");
    }
}
