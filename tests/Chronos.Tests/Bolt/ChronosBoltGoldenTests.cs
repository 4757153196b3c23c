using Forecast.Chronos.Bolt;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Bolt;

/// <summary>Chronos-Bolt against the set-a golden tensors, step by step and end to end.</summary>
public class ChronosBoltGoldenTests
{
    private static readonly Lazy<ChronosBoltPipeline> Pipeline =
        new(() => new ChronosBoltPipeline(TestModels.LoadBolt(Fixtures.SetA("chronos-bolt", "model"))));

    public static TheoryData<string> Series => new(Fixtures.SeriesNames);

    private static Dictionary<string, Tensor> Golden(string series) =>
        SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", series + ".safetensors"));

    [Theory]
    [MemberData(nameof(Series))]
    public void Encode_decode_and_head_match_the_reference(string series)
    {
        var model = Pipeline.Value.Model;
        var golden = Golden(series);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var encoding = model.Encode(golden["context"]);
        var decoded = model.Decode(encoding.InputEmbeds, encoding.AttentionMask, encoding.EncoderHidden);
        var scaled = model.QuantileHead(decoded);
        var (preds, _) = model.forward(golden["context"]);

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
    [MemberData(nameof(Series))]
    public void Predict_predict_quantiles_and_embed_match_the_reference(string series)
    {
        var pipeline = Pipeline.Value;
        var golden = Golden(series);
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(golden["context"], 64);
        var (quantiles, mean) = pipeline.PredictQuantiles(golden["context"], 64, [0.05f, 0.1f, 0.5f, 0.75f, 0.95f]);
        var (embed, _, _) = pipeline.Embed(golden["context"]);

        TensorAssert.Close(forecast, golden["forecast"], $"{series} forecast");
        TensorAssert.Close(quantiles, golden["quantiles_0_05_0_1_0_5_0_75_0_95"], $"{series} quantiles");
        TensorAssert.Close(mean, golden["mean"], $"{series} mean");
        TensorAssert.Close(embed, golden["embed"], $"{series} embed");
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void Long_horizon_unrolls_along_quantile_paths_as_the_reference(string series)
    {
        var pipeline = Pipeline.Value;
        var golden = Golden(series);
        var warnings = new List<string>();
        pipeline.Warn = warnings.Add;
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(golden["context"], 138);

        TensorAssert.Close(forecast, golden["forecast_long"], $"{series} forecast_long");
        warnings.Should().ContainSingle().Which.Should().Contain("prediction length <= 64");
    }

    [Fact]
    public void A_batch_of_differently_long_series_is_left_padded_like_the_reference()
    {
        var pipeline = Pipeline.Value;
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", "batch.safetensors"));
        var series = Fixtures.SeriesNames.Select(name => Golden(name)["context"][0].data<float>().ToArray()).ToList();
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(series, 64);
        var (embed, loc, scale) = pipeline.Embed(Forecast.Chronos.Common.ContextBatch.LeftPadAndStack(series));

        TensorAssert.Close(forecast, golden["forecast"], "batch forecast");
        TensorAssert.Close(embed, golden["embed"], "batch embed");
        TensorAssert.Close(loc, golden["loc"], "batch loc");
        TensorAssert.Close(scale, golden["scale"], "batch scale");
    }
}
