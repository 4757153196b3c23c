using Forecast.Chronos.Chronos2;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>The shared fine-tuning loop with the Chronos-2 objective on the set-a model and seasonal series.</summary>
public sealed class Chronos2FineTuningTests
{
    [Fact]
    public void Fine_tuning_lowers_the_validation_loss_and_the_tuned_pipeline_still_forecasts()
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var random = new Random(3);
        var series = Enumerable.Range(0, 16).Select(_ =>
        {
            var level = 10 + 5 * random.NextDouble();
            var phase = random.NextDouble() * 2 * Math.PI;
            return Enumerable.Range(0, 300)
                .Select(t => (float)(level + 3 * Math.Sin(2 * Math.PI * t / 24 + phase) + 0.1 * random.NextDouble())).ToArray();
        }).ToList();
        var objective = new Chronos2Objective(pipeline.Model, predictionLength: 32, contextLength: 128);
        var options = new FineTuneOptions
        {
            MaxSteps = 30, BatchSize = 16, LearningRate = 1e-3, ContextLength = 128, MinPast = 32,
            ValidationInterval = 10, EarlyStoppingPatience = 0, UseDropout = false, Seed = 5,
        };
        var tuner = new ChronosFineTuner(objective);
        var before = tuner.ValidationLoss(new TrainingWindowSampler(series, 128, 32, 32, 0, holdOut: true, options.Seed), 16);
        var reports = new List<FineTuneProgress>();

        var result = tuner.Fit(series, options, new SynchronousProgress<FineTuneProgress>(reports.Add));

        reports.Should().HaveCount(30).And.OnlyContain(r => double.IsFinite(r.Loss) && r.GradNorm > 0);
        result.BestValidationLoss.Should().BeLessThan(before * 0.8);
        var forecast = pipeline.Predict([series[0][..268]], 32);
        forecast[0].shape.Should().Equal(1, 21, 32);
        forecast[0].isfinite().all().item<bool>().Should().BeTrue();
    }
}
