using Forecast.Chronos.Inference;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Checkpoints;

/// <summary>
/// The official tiny checkpoints of amazon-science/chronos-forecasting (test/dummy-*) load through config.json and
/// reproduce the outputs the reference pipelines recorded. The T5 dummy was written by transformers 4.31: it holds
/// the tied copies encoder/decoder.embed_tokens.weight and says torch_dtype bfloat16 over float32 tensors; its
/// recorded outputs were produced in bfloat16, so it is run in bfloat16 and compared with bfloat16 tolerances. Series
/// and horizons come from the recorded files; both inference backends.
/// </summary>
public class OfficialDummyCheckpointTests
{
    [Theory]
    [Series(ChronosBackend.Libtorch, Dummy = "dummy-chronos-model")]
    [Series(ChronosBackend.Kernels, Dummy = "dummy-chronos-model")]
    public void Chronos_t5_dummy_reproduces_tokens_encoder_states_and_first_logits(string series, ChronosBackend backend)
    {
        using var pipeline = ChronosPretrained.LoadT5(Fixtures.Dummy("dummy-chronos-model", "model"), ScalarType.BFloat16);
        pipeline.Inference = Backends.Options(backend);
        var golden = SafeTensorsFixture.Read(Fixtures.Dummy("dummy-chronos-model", series + ".safetensors"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var (ids, mask, scale) = pipeline.Tokenizer.ContextInputTransform(golden["context"]);
        var (embeddings, _) = pipeline.Embed(golden["context"]);
        var logits = pipeline.Model.forward(ids, mask, zeros(1, 1, dtype: ScalarType.Int64));

        TensorAssert.Equal(ids, golden["token_ids"], $"{series} token_ids");
        TensorAssert.Equal(mask, golden["attention_mask"], $"{series} attention_mask");
        TensorAssert.Close(scale, golden["scale"], $"{series} scale", rtol: 1e-6, atol: 0);
        TensorAssert.Close(embeddings, golden["encoder_last_hidden_state"], $"{series} encoder_last_hidden_state", rtol: 2e-2, atol: 2e-2);
        TensorAssert.Close(logits, golden["first_step_logits"], $"{series} first_step_logits", rtol: 2e-2, atol: 2e-2);
    }

    [Theory]
    [Series(ChronosBackend.Libtorch, Dummy = "dummy-chronos-model")]
    [Series(ChronosBackend.Kernels, Dummy = "dummy-chronos-model")]
    public void Chronos_t5_dummy_reproduces_the_greedy_forecast(string series, ChronosBackend backend)
    {
        using var pipeline = ChronosPretrained.LoadT5(Fixtures.Dummy("dummy-chronos-model", "model"), ScalarType.BFloat16);
        pipeline.Inference = Backends.Options(backend);
        var golden = SafeTensorsFixture.Read(Fixtures.Dummy("dummy-chronos-model", series + ".safetensors"));
        using var scope = NewDisposeScope();

        var forecast = pipeline.Predict(golden["context"], Fixtures.Horizon(golden, "greedy_forecast"),
            new Forecast.Chronos.ChronosT5.SamplingSettings { NumSamples = 1, TopK = 1 });

        TensorAssert.Close(forecast, golden["greedy_forecast"], $"{series} greedy_forecast");
    }

    [Theory]
    [Series(ChronosBackend.Libtorch, Dummy = "dummy-chronos-bolt-model")]
    [Series(ChronosBackend.Kernels, Dummy = "dummy-chronos-bolt-model")]
    public void Chronos_bolt_dummy_reproduces_embeddings_and_forecasts(string series, ChronosBackend backend)
    {
        using var pipeline = ChronosPretrained.LoadBolt(Fixtures.Dummy("dummy-chronos-bolt-model", "model"));
        pipeline.Warn = _ => { };
        pipeline.Inference = Backends.Options(backend);
        var golden = SafeTensorsFixture.Read(Fixtures.Dummy("dummy-chronos-bolt-model", series + ".safetensors"));
        using var scope = NewDisposeScope();

        var (embeddings, loc, scale) = pipeline.Embed(golden["context"]);
        var forecast = pipeline.Predict(golden["context"], Fixtures.Horizon(golden, "forecast"));
        var longForecast = pipeline.Predict(golden["context"], Fixtures.Horizon(golden, "forecast_long"));

        TensorAssert.Close(embeddings, golden["embed"], $"{series} embed");
        TensorAssert.Close(loc, golden["loc"], $"{series} loc");
        TensorAssert.Close(scale, golden["scale"], $"{series} scale");
        TensorAssert.Close(forecast, golden["forecast"], $"{series} forecast");
        TensorAssert.Close(longForecast, golden["forecast_long"], $"{series} forecast_long");
    }
}
