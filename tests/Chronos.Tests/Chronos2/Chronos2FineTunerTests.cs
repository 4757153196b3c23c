using Forecast.Chronos.Chronos2;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>Task windows as dataset.py builds them, and fine-tuning on tasks with a known future covariate.</summary>
public sealed class Chronos2FineTunerTests
{
    /// <summary>Targets that follow a known driver (price) with a lag-free linear response plus noise.</summary>
    private static List<Chronos2Input> DriverTasks(int count, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var phase = random.NextDouble() * 2 * Math.PI;
            var price = Enumerable.Range(0, length).Select(t => (float)(5 + 2 * Math.Sin(2 * Math.PI * t / 17 + phase))).ToArray();
            var sales = price.Select(p => (float)(30 - 3 * p + 0.1 * random.NextDouble())).ToArray();
            var noise = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
            return new Chronos2Input([sales], new Dictionary<string, float[]> { ["price"] = price, ["noise"] = noise });
        }).ToList();
    }

    [Fact]
    public void Windows_order_rows_and_hide_what_is_unknown_as_the_reference_dataset()
    {
        TorchRuntime.SetThreads(2);
        var task = new Chronos2Input([Enumerable.Range(0, 50).Select(t => (float)t).ToArray()],
            new Dictionary<string, float[]>
            {
                ["price"] = Enumerable.Range(0, 50).Select(t => 100f + t).ToArray(),
                ["a_past_only"] = Enumerable.Range(0, 50).Select(t => 200f + t).ToArray(),
            });
        var windows = new Chronos2TrainingWindows([task, task], contextLength: 8, predictionLength: 4, minPast: 5, ["price"], seed: 1);
        using var batch = windows.ValidationBatches(batchSize: 100).Single();

        batch.Context.shape.Should().Equal(6, 8);
        batch.GroupIds.data<long>().ToArray().Should().Equal(0, 0, 0, 1, 1, 1);
        // Rows: target, past-only covariate, known-future covariate; the last 8 values before the cut at 46.
        batch.Context[0].data<float>().ToArray().Should().Equal(38, 39, 40, 41, 42, 43, 44, 45);
        batch.Context[1, 0].item<float>().Should().Be(238);
        batch.Context[2, 0].item<float>().Should().Be(138);
        batch.FutureTarget[0].data<float>().ToArray().Should().Equal(46, 47, 48, 49);
        batch.FutureTarget[1].isnan().all().item<bool>().Should().BeTrue("covariates have no target");
        batch.FutureCovariates[0].isnan().all().item<bool>().Should().BeTrue("the target's future is unknown");
        batch.FutureCovariates[1].isnan().all().item<bool>().Should().BeTrue("a past-only covariate has no future");
        batch.FutureCovariates[2].data<float>().ToArray().Should().Equal(146, 147, 148, 149);

        using var sample = windows.Sample(batchSize: 4);
        sample.Context.shape[0].Should().Be(6, "tasks are drawn whole until the batch holds at least 4 rows");
    }

    [Fact]
    public void Fine_tuning_on_tasks_with_a_known_covariate_lowers_the_validation_loss()
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var tasks = DriverTasks(8, 160, seed: 4);
        var options = new FineTuneOptions
        {
            MaxSteps = 15, BatchSize = 12, LearningRate = 1e-3, ContextLength = 64, MinPast = 32,
            ValidationInterval = 5, EarlyStoppingPatience = 0, UseDropout = false, Seed = 3,
        };
        var tuner = new Chronos2FineTuner(pipeline.Model);
        var windows = new Chronos2TrainingWindows(tasks, 64, 32, 32, ["price"], options.Seed);
        var before = tuner.ValidationLoss(windows, 24, outputPatches: 2);
        var reports = new List<FineTuneProgress>();

        var result = tuner.Fit(tasks, 32, options, ["price"], new SynchronousProgress<FineTuneProgress>(reports.Add));

        reports.Should().HaveCount(15).And.OnlyContain(r => double.IsFinite(r.Loss) && r.GradNorm > 0);
        result.BestValidationLoss.Should().BeLessThan(before * 0.8);
        tuner.ValidationLoss(windows, 24, 2).Should().BeApproximately(result.BestValidationLoss!.Value, 1e-4 * before,
            "the best weights are restored");
    }
}
