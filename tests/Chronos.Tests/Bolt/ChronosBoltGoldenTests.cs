using Forecast.Chronos.Bolt;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Bolt;

/// <summary>
/// Chronos-Bolt against the set-a golden tensors, step by step and end to end, with both inference backends; horizons
/// and quantile levels are those the golden files were made with.
/// </summary>
public class ChronosBoltGoldenTests
{
    private static readonly Lazy<ChronosBoltPipeline> Shared =
        new(() => new ChronosBoltPipeline(TestModels.LoadBolt(Fixtures.SetA("chronos-bolt", "model"))));

    private static ChronosBoltPipeline Pipeline(ChronosBackend backend)
    {
        var pipeline = Shared.Value;
        pipeline.Inference = Backends.Options(backend);
        return pipeline;
    }

    private static Dictionary<string, Tensor> Golden(string series) =>
        SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", series + ".safetensors"));

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Encode_decode_and_head_match_the_reference(string series, ChronosBackend backend)
    {
        var model = Shared.Value.Model;
        var golden = Golden(series);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var inference = Backends.Open(backend);

        var encoding = model.Encode(golden["context"], null, inference);
        var decoded = model.Decode(encoding.InputEmbeds, encoding.AttentionMask, encoding.EncoderHidden, inference);
        var scaled = model.QuantileHead(decoded, inference);
        var (preds, _) = model.forward(golden["context"], null, null, null, inference);

        TensorAssert.Close(encoding.Loc, golden["loc"], $"{series} loc");
        TensorAssert.Close(encoding.Scale, golden["scale"], $"{series} scale");
        TensorAssert.Close(encoding.InputEmbeds, golden["input_embeds"], $"{series} input_embeds");
        TensorAssert.Equal(encoding.AttentionMask, golden["encoder_attention_mask"], $"{series} encoder_attention_mask");
        TensorAssert.Close(encoding.EncoderHidden, golden["encoder_last_hidden_state"], $"{series} encoder_last_hidden_state");
        TensorAssert.Close(decoded, golden["decoder_last_hidden_state"], $"{series} decoder_last_hidden_state");
        TensorAssert.Close(scaled, golden["quantile_preds_scaled"], $"{series} quantile_preds_scaled");
        TensorAssert.Close(preds, golden["quantile_preds"], $"{series} quantile_preds");
    }

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Predict_predict_quantiles_and_embed_match_the_reference(string series, ChronosBackend backend)
    {
        var pipeline = Pipeline(backend);
        var golden = Golden(series);
        var horizon = Fixtures.Horizon(golden, "forecast");
        var (quantilesKey, levels) = Fixtures.QuantileKey(golden, "quantiles_");
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(golden["context"], horizon);
        var (quantiles, mean) = pipeline.PredictQuantiles(golden["context"], horizon, levels);
        var (embed, _, _) = pipeline.Embed(golden["context"]);

        TensorAssert.Close(forecast, golden["forecast"], $"{series} forecast");
        TensorAssert.Close(quantiles, golden[quantilesKey], $"{series} {quantilesKey}");
        TensorAssert.Close(mean, golden["mean"], $"{series} mean");
        TensorAssert.Close(embed, golden["embed"], $"{series} embed");
    }

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Long_horizon_unrolls_along_quantile_paths_as_the_reference(string series, ChronosBackend backend)
    {
        var pipeline = Pipeline(backend);
        var golden = Golden(series);
        var warnings = new List<string>();
        pipeline.Warn = warnings.Add;
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(golden["context"], Fixtures.Horizon(golden, "forecast_long"));

        TensorAssert.Close(forecast, golden["forecast_long"], $"{series} forecast_long");
        warnings.Should().ContainSingle().Which.Should().Contain($"prediction length <= {pipeline.Model.ChronosConfig.PredictionLength}");
    }

    [Theory]
    [Backend(ChronosBackend.Libtorch)]
    [Backend(ChronosBackend.Kernels)]
    public void A_batch_of_differently_long_series_is_left_padded_like_the_reference(ChronosBackend backend)
    {
        var pipeline = Pipeline(backend);
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", "batch.safetensors"));
        var series = Fixtures.SeriesNames.Select(name => Golden(name)["context"][0].data<float>().ToArray()).ToList();
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(series, Fixtures.Horizon(golden, "forecast"));
        var (embed, loc, scale) = pipeline.Embed(Forecast.Chronos.Common.ContextBatch.LeftPadAndStack(series));

        TensorAssert.Close(forecast, golden["forecast"], "batch forecast");
        TensorAssert.Close(embed, golden["embed"], "batch embed");
        TensorAssert.Close(loc, golden["loc"], "batch loc");
        TensorAssert.Close(scale, golden["scale"], "batch scale");
    }
}
