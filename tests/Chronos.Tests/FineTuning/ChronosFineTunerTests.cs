using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.FineTuning;

/// <summary>The fine-tuning loop on the small set-a models with synthetic seasonal series.</summary>
public class ChronosFineTunerTests
{
    private static List<float[]> SeasonalSeries(int count, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var level = 10 + 5 * random.NextDouble();
            var phase = random.NextDouble() * 2 * Math.PI;
            return Enumerable.Range(0, length)
                .Select(t => (float)(level + 3 * Math.Sin(2 * Math.PI * t / 24 + phase) + 0.1 * random.NextDouble()))
                .ToArray();
        }).ToList();
    }

    [Fact]
    public void Bolt_fine_tuning_lowers_the_validation_loss_and_keeps_the_best_weights()
    {
        var model = TestModels.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        var objective = new ChronosBoltObjective(model);
        var series = SeasonalSeries(16, 400, seed: 1);
        var options = new FineTuneOptions
        {
            MaxSteps = 40, BatchSize = 16, LearningRate = 1e-3, WarmupRatio = 0.1, ContextLength = 256,
            ValidationInterval = 10, EarlyStoppingPatience = 0, UseDropout = false, Seed = 7,
        };
        var tuner = new ChronosFineTuner(objective);
        var before = tuner.ValidationLoss(
            new TrainingWindowSampler(series, 256, 64, options.MinPast, 0, holdOut: true, options.Seed), 16);
        var reports = new List<FineTuneProgress>();

        var result = tuner.Fit(series, options, new SynchronousProgress<FineTuneProgress>(reports.Add));

        result.Steps.Should().Be(40);
        reports.Should().HaveCount(40).And.OnlyContain(r => double.IsFinite(r.Loss) && r.GradNorm > 0);
        reports[0].LearningRate.Should().BeApproximately(1e-3 / 4, 1e-12, "the first of 4 warm-up steps");
        result.BestValidationLoss.Should().BeLessThan(before * 0.8);
        var after = tuner.ValidationLoss(
            new TrainingWindowSampler(series, 256, 64, options.MinPast, 0, holdOut: true, options.Seed), 16);
        after.Should().BeApproximately(result.BestValidationLoss!.Value, 1e-4 * after, "the best weights are restored");
    }

    [Fact]
    public void T5_fine_tuning_runs_with_dropout_and_missing_value_injection()
    {
        using var pipeline = TestModels.LoadT5Pipeline(Fixtures.SetA("chronos-t5", "model"));
        var series = SeasonalSeries(8, 300, seed: 2);
        var options = new FineTuneOptions
        {
            MaxSteps = 6, BatchSize = 4, ContextLength = 128, ValidationInterval = 3, EarlyStoppingPatience = 0,
        };

        var result = new ChronosFineTuner(new ChronosT5Objective(pipeline)).Fit(series, options);

        result.Steps.Should().Be(6);
        result.History.Where(r => r.ValidationLoss is not null).Should().HaveCount(2);
        result.History.Should().OnlyContain(r => double.IsFinite(r.Loss));
        pipeline.Model.training.Should().BeFalse("the model is left in inference mode");
    }

    [Fact]
    public void Early_stopping_ends_the_run_when_validation_stops_improving()
    {
        var model = TestModels.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        var series = SeasonalSeries(4, 300, seed: 3);
        // A learning rate this large makes the validation loss worse after the first validation.
        var options = new FineTuneOptions
        {
            MaxSteps = 200, BatchSize = 4, LearningRate = 0.5, ContextLength = 128, ValidationInterval = 1,
            EarlyStoppingPatience = 2, UseDropout = false, MaxGradNorm = 100,
        };
        var saved = new List<string>();

        var result = new ChronosFineTuner(new ChronosBoltObjective(model), saved.Add)
            .Fit(series, options with { CheckpointDirectory = "best" });

        result.StoppedEarly.Should().BeTrue();
        result.Steps.Should().BeLessThan(200);
        saved.Should().NotBeEmpty().And.OnlyContain(path => path == "best");
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        var model = TestModels.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        using var cancellation = new CancellationTokenSource();
        var options = new FineTuneOptions { MaxSteps = 100, BatchSize = 2, ContextLength = 64, ValidationInterval = 0 };
        var steps = 0;
        var progress = new SynchronousProgress<FineTuneProgress>(_ => { if (++steps == 3) cancellation.Cancel(); });

        var act = () => new ChronosFineTuner(new ChronosBoltObjective(model))
            .Fit(SeasonalSeries(2, 200, seed: 4), options, progress, cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
        steps.Should().Be(3);
    }

    [Fact]
    public void Series_too_short_for_a_window_are_named_in_the_error()
    {
        var model = TestModels.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));

        var act = () => new ChronosFineTuner(new ChronosBoltObjective(model))
            .Fit([new float[50]], new FineTuneOptions { MaxSteps = 1 });

        act.Should().Throw<ArgumentException>().WithMessage("*min_past 60 + prediction_length 64*");
    }
}
