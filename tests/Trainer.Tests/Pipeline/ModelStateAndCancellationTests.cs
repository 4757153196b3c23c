using Forecast.Core.Artifacts;
using Forecast.Core.Models;
using Forecast.Core.Models.Baselines;
using Forecast.Core.Series;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Tests.Pipeline;

/// <summary>The pipeline with models plugged in through the registry, as Prophet and Chronos will be.</summary>
public class ModelStateAndCancellationTests
{
    private static TrainerConfig Config(TrainerRun run, string model, ModelRegistry registry) => ConfigLoader.Parse($"""
        run: {"{"} output: {run.Output} {"}"}
        data: {"{"} path: {TrainerRun.SampleData} {"}"}
        eda: {"{"} enabled: false {"}"}
        model: {"{"} name: {model} {"}"}
        evaluation: {"{"} horizon: 6 {"}"}
        plots: {"{"} max_series: 1 {"}"}
        """, "test.yaml", [], registry);

    private sealed class QuietLog : IRunLog
    {
        public void Info(string message) { }
        public void Warn(string message) { }
    }

    [Fact]
    public async Task ModelStateIsWrittenUnderModelFolder()
    {
        using var run = new TrainerRun();
        var registry = new ModelRegistry([new Factory("stateful", () => new StatefulNaive())]);
        var result = await new TrainingPipeline(Config(run, "stateful", registry), new QuietLog()).RunAsync();

        result.Manifest.Files.Should().Contain(f => f.Path == "model/state.json");
        string state = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", result.RunId, "model", "state.json"));
        state.Should().Be("{\"fitted_series\": 9}");
    }

    [Fact]
    public async Task CancellationLeavesNoRun()
    {
        using var run = new TrainerRun();
        using var cancel = new CancellationTokenSource();
        var registry = new ModelRegistry([new Factory("blocking", () => new CancelsOnCall(cancel))]);
        var act = () => new TrainingPipeline(Config(run, "blocking", registry), new QuietLog()).RunAsync(cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await RunCatalog.ListCommittedAsync(run.Store)).Should().BeEmpty();
        run.FilesUnderRuns().Should().BeEmpty();
    }

    [Fact]
    public async Task AModelThatFailsLeavesNoRun()
    {
        using var run = new TrainerRun();
        var registry = new ModelRegistry([new Factory("broken", () => new Broken())]);
        var act = () => new TrainingPipeline(Config(run, "broken", registry), new QuietLog()).RunAsync();

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("model exploded");
        run.FilesUnderRuns().Should().BeEmpty();
    }

    private sealed class Factory(string name, Func<IForecaster> create) : IModelFactory
    {
        public string Name => name;

        public Func<ModelContext, IForecaster> Configure(ConfigSection options)
        {
            options.Finish();
            return _ => create();
        }
    }

    /// <summary>Naive forecasts plus a state file, like a fitted Prophet would export its parameters.</summary>
    private sealed class StatefulNaive : IForecaster, IHasModelState
    {
        private readonly NaiveForecaster _naive = new();
        private int _fitted;

        public string Name => "stateful";

        public async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(IReadOnlyList<TimeSeries> histories, ForecastRequest request,
            IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            _fitted = histories.Count;
            return await _naive.ForecastAsync(histories, request, progress, cancellationToken);
        }

        public IReadOnlyList<(string Name, byte[] Content)> ExportState() => [("state.json", System.Text.Encoding.UTF8.GetBytes($"{{\"fitted_series\": {_fitted}}}"))];
    }

    /// <summary>Cancels the run's token as soon as it is asked to forecast (a user pressing Ctrl+C mid-fit).</summary>
    private sealed class CancelsOnCall(CancellationTokenSource cancel) : IForecaster
    {
        public string Name => "blocking";

        public async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(IReadOnlyList<TimeSeries> histories, ForecastRequest request,
            IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }
    }

    private sealed class Broken : IForecaster
    {
        public string Name => "broken";

        public Task<IReadOnlyList<SeriesForecast>> ForecastAsync(IReadOnlyList<TimeSeries> histories, ForecastRequest request,
            IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("model exploded");
    }
}
