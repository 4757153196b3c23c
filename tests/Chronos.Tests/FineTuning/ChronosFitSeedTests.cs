using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.FineTuning;

/// <summary>
/// A Chronos-T5 fit draws from its own generator seeded with FineTuneOptions.Seed (windows, missing-value injection,
/// the model's dropout): two fits with the same seed give the same weights although other code draws from the
/// process's generator before them and between their steps, and a fit leaves the process's generator where it was.
/// In Chronos2FitSeedTests' collection, run alone: tests running alongside would draw from the process's generator
/// between a seed and the draw that checks it.
/// </summary>
[Collection(nameof(Chronos2.Chronos2FitSeedTests))]
public sealed class ChronosFitSeedTests
{
    [Fact]
    public void T5_fits_with_the_same_seed_give_the_same_weights_whatever_else_draws()
    {
        var noise = new Random(3);
        var series = Enumerable.Range(0, 4)
            .Select(_ => Enumerable.Range(0, 200).Select(t => (float)(10 + 3 * Math.Sin(t / 4.0) + noise.NextDouble())).ToArray())
            .ToList();
        var options = new FineTuneOptions { MaxSteps = 2, BatchSize = 4, ContextLength = 64, ValidationInterval = 0, Seed = 5 };
        using var first = TestModels.LoadT5Pipeline(Fixtures.SetA("chronos-t5", "model"));
        using var second = TestModels.LoadT5Pipeline(Fixtures.SetA("chronos-t5", "model"));
        options.UseDropout.Should().BeTrue("dropout's masks are among the fit's draws");

        random.manual_seed(1);
        new ChronosFineTuner(new ChronosT5Objective(first)).Fit(series, options);
        float[] next = rand(8).data<float>().ToArray();
        random.manual_seed(1);
        next.Should().Equal(rand(8).data<float>().ToArray(), "the fit left the process's generator as it was");
        random.manual_seed(2);
        rand(100).Dispose();
        new ChronosFineTuner(new ChronosT5Objective(second)).Fit(series, options,
            new SynchronousProgress<FineTuneProgress>(_ => rand(5).Dispose()));

        var expected = first.Model.state_dict();
        foreach (var (name, weight) in second.Model.state_dict())
            weight.data<float>().ToArray().Should().Equal(expected[name].data<float>().ToArray(), name);
    }
}
