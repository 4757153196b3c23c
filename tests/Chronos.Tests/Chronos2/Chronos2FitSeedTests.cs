using Forecast.Chronos.Chronos2;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Lora;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// A fit draws from its own generator seeded with FineTuneOptions.Seed (windows, dropout in the model and on LoRA's
/// input, LoRA's initial A): two fits with the same seed give the same weights although other code draws from the
/// process's generator before them and between their steps, and a fit leaves the process's generator where it was.
/// Alone in its collection: tests running alongside would draw from the process's generator between a seed and the draw
/// that checks it.
/// </summary>
[Collection(nameof(Chronos2FitSeedTests))]
public sealed class Chronos2FitSeedTests
{
    [Fact]
    public void Lora_fits_with_the_same_seed_give_the_same_adapter_whatever_else_draws()
    {
        var golden = Chronos2Fixtures.Golden("lora_train_step.safetensors");
        float[] series = golden["forecast_context"].data<float>().ToArray();
        var horizon = Fixtures.Horizon(golden, "forecast_adapter");
        var options = new FineTuneOptions { MaxSteps = 3, BatchSize = 4, LearningRate = 1e-2, MinPast = 16, ValidationInterval = 0, Seed = 7 };
        var lora = new LoraConfig { Dropout = 0.2 };
        using var firstPipeline = Chronos2Fixtures.LoadSetA();   // building a model draws its initial weights
        using var secondPipeline = Chronos2Fixtures.LoadSetA();

        var first = LeavesTheProcessGenerator(() => FitAdapter(firstPipeline, series, horizon, options, lora, progress: null));
        random.manual_seed(2);
        rand(100).Dispose();
        var second = FitAdapter(secondPipeline, series, horizon, options, lora, DrawsAfterEveryStep());

        second.Keys.Should().BeEquivalentTo(first.Keys);
        foreach (var (name, values) in first)
            second[name].Should().Equal(values, name);
    }

    [Fact]
    public void Full_fits_with_the_same_seed_give_the_same_weights_whatever_else_draws()
    {
        var golden = Chronos2Fixtures.Golden("lora_train_step.safetensors");
        var task = Chronos2Input.Univariate(golden["forecast_context"].data<float>().ToArray());
        var horizon = Fixtures.Horizon(golden, "forecast_adapter");
        var options = new FineTuneOptions { MaxSteps = 2, BatchSize = 4, LearningRate = 1e-3, MinPast = 16, ValidationInterval = 0, Seed = 9 };
        using var first = Chronos2Fixtures.LoadSetA();
        using var second = Chronos2Fixtures.LoadSetA();

        LeavesTheProcessGenerator(() => new Chronos2FineTuner(first.Model).Fit([task], horizon, options));
        random.manual_seed(2);
        rand(100).Dispose();
        new Chronos2FineTuner(second.Model).Fit([task], horizon, options, progress: DrawsAfterEveryStep());

        var expected = first.Model.state_dict();
        foreach (var (name, weight) in second.Model.state_dict())
            weight.data<float>().ToArray().Should().Equal(expected[name].data<float>().ToArray(), name);
    }

    private static T LeavesTheProcessGenerator<T>(Func<T> fit)
    {
        random.manual_seed(1);
        var result = fit();
        float[] next = rand(8).data<float>().ToArray();
        random.manual_seed(1);
        next.Should().Equal(rand(8).data<float>().ToArray(), "the fit left the process's generator as it was");
        return result;
    }

    private static Dictionary<string, float[]> FitAdapter(Chronos2Pipeline pipeline, float[] series, int horizon, FineTuneOptions options,
        LoraConfig lora, IProgress<FineTuneProgress>? progress)
    {
        var (_, adapter) = new Chronos2FineTuner(pipeline.Model).FitLora([Chronos2Input.Univariate(series)], horizon, options, lora,
            progress: progress);
        using (adapter)
            return adapter.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
    }

    /// <summary>A progress handler that draws from the process's generator after every step.</summary>
    private static SynchronousProgress<FineTuneProgress> DrawsAfterEveryStep() => new(_ => rand(5).Dispose());
}

[CollectionDefinition(nameof(Chronos2FitSeedTests), DisableParallelization = true)]
public sealed class Chronos2FitSeedTestsCollection;
