using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Common;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.ChronosT5;

/// <summary>
/// The Chronos-T5 pipeline against set-a: tokenizer ids exactly, greedy generation and forecasts. Greedy tokens are
/// compared only for series whose smallest top-2 logit gap along the greedy path (summary.json) is comfortably above
/// float32 rounding (≥ 1e-3); nans and short (gaps ~2e-4) are judged on their logits (ChronosT5ModelTests), as the
/// reference README advises. Generation, forecasts and embeddings run with both inference backends; horizons and
/// quantile levels are those the golden files were made with.
/// </summary>
public class ChronosT5PipelineGoldenTests
{
    private static readonly Lazy<ChronosT5Pipeline> Shared =
        new(() => TestModels.LoadT5Pipeline(Fixtures.SetA("chronos-t5", "model")));

    private static readonly SamplingSettings Greedy = new() { NumSamples = 1, TopK = 1, Temperature = 1, TopP = 1 };

    public static TheoryData<string> Series => new(Fixtures.SeriesNames);

    private static ChronosT5Pipeline Pipeline(ChronosBackend backend)
    {
        var pipeline = Shared.Value;
        pipeline.Inference = Backends.Options(backend);
        return pipeline;
    }

    private static Dictionary<string, Tensor> Golden(string series) =>
        SafeTensorsFixture.Read(Fixtures.SetA("chronos-t5", series + ".safetensors"));

    [Theory]
    [MemberData(nameof(Series))]
    public void Tokenizer_reproduces_token_ids_mask_and_scale_exactly(string series)
    {
        var golden = Golden(series);
        using var scope = NewDisposeScope();

        var (ids, mask, scale) = Shared.Value.Tokenizer.ContextInputTransform(golden["context"]);

        TensorAssert.Equal(ids, golden["token_ids"], $"{series} token_ids");
        TensorAssert.Equal(mask, golden["attention_mask"], $"{series} attention_mask");
        TensorAssert.Close(scale, golden["scale"], $"{series} scale", rtol: 1e-7, atol: 0);
    }

    [Fact]
    public void Tokenizer_bins_agree_with_torch_1_13_linspace_within_one_ulp()
    {
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-t5", "tokenizer.safetensors"));
        var tokenizer = Shared.Value.Tokenizer;

        TensorAssert.Close(tokenizer.Centers, golden["centers"], "centers", rtol: 0, atol: 1e-6 / 15);
        using var inner = tokenizer.Boundaries[TensorIndex.Slice(1, -1)];
        using var goldenInner = golden["boundaries"][TensorIndex.Slice(1, -1)];
        TensorAssert.Close(inner, goldenInner, "boundaries", rtol: 0, atol: 1e-6 / 15);
    }

    [Theory]
    [Series(ChronosBackend.Libtorch, ComfortableGreedyGapOnly = true)]
    [Series(ChronosBackend.Kernels, ComfortableGreedyGapOnly = true)]
    public void Greedy_generation_reproduces_the_reference_tokens(string series, ChronosBackend backend)
    {
        var golden = Golden(series);
        var pipeline = Pipeline(backend);
        using var scope = NewDisposeScope();

        var tokens = pipeline.GenerateTokens(golden["token_ids"], golden["attention_mask"],
            Fixtures.Horizon(golden, "greedy_sample_tokens"), 1,
            new TokenSampler(eosTokenId: 1, temperature: 1, topK: 1, topP: 1));

        TensorAssert.Equal(tokens, golden["greedy_sample_tokens"], $"{series} greedy_sample_tokens");
    }

    [Theory]
    [Series(ChronosBackend.Libtorch, ComfortableGreedyGapOnly = true)]
    [Series(ChronosBackend.Kernels, ComfortableGreedyGapOnly = true)]
    public void Greedy_forecasts_quantiles_and_long_horizon_match_the_reference(string series, ChronosBackend backend)
    {
        var golden = Golden(series);
        var pipeline = Pipeline(backend);
        var warnings = new List<string>();
        pipeline.Warn = warnings.Add;
        var horizon = Fixtures.Horizon(golden, "greedy_forecast");
        var (quantilesKey, levels) = Fixtures.QuantileKey(golden, "greedy_quantiles_");
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(golden["context"], horizon, Greedy);
        var (quantiles, mean) = pipeline.PredictQuantiles(golden["context"], horizon, levels, Greedy);
        var longForecast = pipeline.Predict(golden["context"], Fixtures.Horizon(golden, "greedy_forecast_long"), Greedy);

        TensorAssert.Close(forecast, golden["greedy_forecast"], $"{series} greedy_forecast");
        TensorAssert.Close(quantiles, golden[quantilesKey], $"{series} {quantilesKey}");
        TensorAssert.Close(mean, golden["greedy_mean"], $"{series} greedy_mean");
        TensorAssert.Close(longForecast, golden["greedy_forecast_long"], $"{series} greedy_forecast_long");
        warnings.Should().ContainSingle().Which.Should().Contain($"prediction length <= {pipeline.Config.PredictionLength}");
    }

    [Theory]
    [Series(ChronosBackend.Libtorch)]
    [Series(ChronosBackend.Kernels)]
    public void Embed_returns_the_encoder_states_and_scale(string series, ChronosBackend backend)
    {
        var golden = Golden(series);
        using var scope = NewDisposeScope();

        var (embeddings, scale) = Pipeline(backend).Embed(golden["context"]);

        TensorAssert.Close(embeddings, golden["encoder_last_hidden_state"], $"{series} embed");
        TensorAssert.Close(scale, golden["scale"], $"{series} scale");
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_draws_bin_centres_of_the_series_scale()
    {
        var golden = Golden(Fixtures.SeriesNames[0]);
        var pipeline = Shared.Value;
        var expected = golden["sampled_forecast_seeded"];
        var sampling = new SamplingSettings { NumSamples = (int)expected.shape[1], Seed = 42 };
        var horizon = Fixtures.Horizon(golden, "sampled_forecast_seeded");
        using var scope = NewDisposeScope();

        var first = pipeline.Predict(golden["context"], horizon, sampling);
        var second = pipeline.Predict(golden["context"], horizon, sampling);
        var other = pipeline.Predict(golden["context"], horizon, sampling with { Seed = 43 });

        first.shape.Should().Equal(golden["sampled_forecast_seeded"].shape);
        TensorAssert.Equal(first.view(-1).mul(1000).round(), second.view(-1).mul(1000).round(), "same seed");
        first.eq(other).all().item<bool>().Should().BeFalse("another seed gives other samples");
        var centres = (pipeline.Tokenizer.Centers * golden["scale"]).unsqueeze(0);
        var distance = (first.view(-1, 1) - centres).abs().min(1).values;
        distance.max().item<float>().Should().BeLessThan(1e-3f, "every sample is a bin centre times the scale");
    }

    [Theory]
    [Backend(ChronosBackend.Libtorch)]
    [Backend(ChronosBackend.Kernels)]
    public void A_batch_of_differently_long_series_is_left_padded_like_the_reference(ChronosBackend backend)
    {
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-t5", "batch.safetensors"));
        var series = Fixtures.SeriesNames.Select(name => Golden(name)["context"][0].data<float>().ToArray()).ToList();
        var pipeline = Pipeline(backend);
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(series, Fixtures.Horizon(golden, "greedy_forecast"), Greedy);
        var (embeddings, scale) = pipeline.Embed(ContextBatch.LeftPadAndStack(series));

        TensorAssert.Close(embeddings, golden["encoder_last_hidden_state"], "batch encoder_last_hidden_state");
        TensorAssert.Close(scale, golden["scale"], "batch scale");
        for (var row = 0; row < series.Count; row++)
            if (Fixtures.HasComfortableGreedyGap(Fixtures.SeriesNames[row]))
                TensorAssert.Close(forecast[row], golden["greedy_forecast"][row], $"batch greedy_forecast[{Fixtures.SeriesNames[row]}]");
    }
}
