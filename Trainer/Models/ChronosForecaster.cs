using Forecast.Chronos;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Common;
using Forecast.Chronos.FineTuning;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Core.Storage;
using TorchSharp;

namespace Forecast.Trainer.Models;

/// <summary>
/// Chronos (Bolt, T5 or Chronos-2, the native TorchSharp port) as an <see cref="IForecaster"/>. The checkpoint is
/// resolved once (folder, s3:// through the platform's storage, or a hub download into the HF cache). Without
/// fine-tuning the loaded pipeline is kept for every call. With <c>fine_tune.enabled</c> each call starts from the
/// pretrained checkpoint and fine-tunes on exactly the histories it is given (so an evaluation window never sees its
/// own actuals), then forecasts; the last call's fine-tuned model is the run's state (model/checkpoint/config.json +
/// model.safetensors, loadable by from_pretrained and by this adapter). Progress is reported per batch; cancellation
/// is checked between batches and fine-tuning steps.
/// </summary>
public sealed class ChronosForecaster(ChronosSettings settings, StorageLocations? locations = null) : IForecaster, IHasModelState, IUsesFutureCovariates, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _checkpointFolder;
    private IDisposable? _pipeline;
    private IReadOnlyList<(string Name, byte[] Content)> _state = [];

    public string Name => ChronosModelFactory.ModelName;

    public ChronosSettings Settings => settings;

    public IReadOnlyList<string> FutureCovariateNames => settings.FutureCovariates;

    public string FutureCovariatesKey => "model.chronos.future_covariates";

    /// <summary>The last fine-tuning run, or null when none ran.</summary>
    public FineTuneResult? LastFineTune { get; private set; }

    public async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories, ForecastRequest request, IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ForecastRequestValidation.ThrowIfInvalid(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false); // torch modules are not shared between concurrent calls
        try
        {
            string folder = await ResolveCheckpointAsync(cancellationToken).ConfigureAwait(false);
            return await Task.Run(() => Forecast(folder, histories, request, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlyList<(string Name, byte[] Content)> ExportState() => _state;

    public void Dispose()
    {
        _pipeline?.Dispose();
        _gate.Dispose();
    }

    private async Task<string> ResolveCheckpointAsync(CancellationToken cancellationToken)
    {
        if (_checkpointFolder is not null) return _checkpointFolder;
        using var resolver = new CheckpointResolver();
        if (locations is not null) resolver.RegisterObjectStore(new S3CheckpointObjectStore(locations));
        string folder = await resolver.ResolveAsync(settings.Checkpoint, cancellationToken).ConfigureAwait(false);
        CheckpointPreflight.Check(folder); // s3:// and hub checkpoints are only on disk now; checked before any tensor
        _checkpointFolder = folder;
        return _checkpointFolder;
    }

    private IReadOnlyList<SeriesForecast> Forecast(string folder, IReadOnlyList<TimeSeries> histories, ForecastRequest request,
        IProgress<ForecastProgress>? progress, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        if (settings.Threads is { } threads) TorchRuntime.SetThreads(threads); // torch.set_num_threads
        // The pipelines need at least one level; the median is always meaningful.
        IReadOnlyList<float> levels = request.Quantiles.Count > 0 ? [.. request.Quantiles.Select(q => (float)q)] : [0.5f];
        var seriesProgress = progress is null ? null : new ForwardingProgress<int>(done => progress.Report(new ForecastProgress(done, histories.Count, "chronos forecast")));

        var quantileForecasts = settings.Variant switch
        {
            ChronosVariant.Bolt => ForecastBolt(folder, histories, request.Horizon, levels, seriesProgress, progress, cancellationToken),
            ChronosVariant.T5 => ForecastT5(folder, histories, request.Horizon, levels, seriesProgress, progress, cancellationToken),
            _ => ForecastChronos2(folder, histories, request, levels, progress, cancellationToken),
        };

        var result = new SeriesForecast[histories.Count];
        for (int i = 0; i < histories.Count; i++)
        {
            var series = histories[i];
            var forecast = quantileForecasts[i];
            var frequency = series.Frequency
                ?? throw new InvalidOperationException($"Series '{series.Id}' has no frequency; Chronos needs one to date the forecast (set cleaning.frequency).");
            double[][] quantiles = request.Quantiles.Count == 0
                ? []
                : [.. forecast.Quantiles.Select(row => row.Select(v => (double)v).ToArray())];
            result[i] = new SeriesForecast(series.Id, frequency.Following(series.Timestamps[^1], request.Horizon),
                [.. forecast.Mean.Select(v => (double)v)], request.Quantiles, quantiles);
        }
        return result;
    }

    private IReadOnlyList<QuantileForecast> ForecastBolt(string folder, IReadOnlyList<TimeSeries> histories, int horizon, IReadOnlyList<float> levels,
        IProgress<int>? seriesProgress, IProgress<ForecastProgress>? progress, CancellationToken cancellationToken)
    {
        var values = Values(histories);
        var pipeline = Pipeline(() => ChronosPretrained.LoadBolt(folder, ScalarTypeOf(settings.DType)));
        if (settings.FineTune.Enabled)
        {
            LastFineTune = new ChronosFineTuner(new ChronosBoltObjective(pipeline.Model))
                .Fit(values, FineTuneOptions(), FineTuneProgress(progress), cancellationToken);
            SaveState(folder, pipeline.Model);
        }
        return pipeline.ForecastSeries(values, horizon, levels, settings.BatchSize, seriesProgress, cancellationToken);
    }

    private IReadOnlyList<QuantileForecast> ForecastT5(string folder, IReadOnlyList<TimeSeries> histories, int horizon, IReadOnlyList<float> levels,
        IProgress<int>? seriesProgress, IProgress<ForecastProgress>? progress, CancellationToken cancellationToken)
    {
        var values = Values(histories);
        var pipeline = Pipeline(() => ChronosPretrained.LoadT5(folder, ScalarTypeOf(settings.DType)));
        if (settings.FineTune.Enabled)
        {
            LastFineTune = new ChronosFineTuner(new ChronosT5Objective(pipeline))
                .Fit(values, FineTuneOptions(), FineTuneProgress(progress), cancellationToken);
            SaveState(folder, pipeline.Model);
        }
        // A seed makes the sampled paths (and so the run) reproducible.
        var sampling = new SamplingSettings { NumSamples = settings.NumSamples, Seed = settings.Seed };
        return pipeline.ForecastSeries(values, horizon, levels, sampling, settings.BatchSize, seriesProgress, cancellationToken);
    }

    private IReadOnlyList<QuantileForecast> ForecastChronos2(string folder, IReadOnlyList<TimeSeries> histories, ForecastRequest request, IReadOnlyList<float> levels,
        IProgress<ForecastProgress>? progress, CancellationToken cancellationToken)
    {
        int horizon = request.Horizon;
        var groups = ChronosSeriesGroups.Build(histories, settings.Grouping, settings.GroupSeparator, settings.PastCovariates,
            settings.FutureCovariates, (id, column) => request.FutureValues(id, column, FutureCovariatesKey));
        var pipeline = Pipeline(() => Chronos2Pretrained.Load(folder, ScalarTypeOf(settings.DType)));
        if (settings.FineTune.Enabled)
        {
            LastFineTune = new Chronos2FineTuner(pipeline.Model)
                .Fit(groups.Tasks, horizon, FineTuneOptions(), null, FineTuneProgress(progress), cancellationToken);
            SaveState(folder, pipeline.Model);
        }
        var taskProgress = progress is null ? null : new ForwardingProgress<int>(done => progress.Report(new ForecastProgress(done, groups.Tasks.Count, "chronos forecast (tasks)")));
        var perTask = pipeline.ForecastTasks(groups.Tasks, horizon, levels, settings.BatchSize, taskProgress, cancellationToken);
        return groups.Unpack(perTask);
    }

    /// <summary>The cached pipeline, or a fresh one from the pretrained weights when fine-tuning (each call starts from them).</summary>
    private TPipeline Pipeline<TPipeline>(Func<TPipeline> load) where TPipeline : class, IDisposable
    {
        if (!settings.FineTune.Enabled && _pipeline is TPipeline cached) return cached;
        _pipeline?.Dispose();
        var pipeline = load();
        _pipeline = pipeline;
        return pipeline;
    }

    private FineTuneOptions FineTuneOptions()
    {
        var f = settings.FineTune;
        return new FineTuneOptions
        {
            MaxSteps = f.Steps,
            BatchSize = f.BatchSize,
            LearningRate = f.LearningRate,
            WarmupRatio = f.WarmupRatio,
            ContextLength = f.ContextLength,
            MinPast = f.MinPast,
            ValidationInterval = f.ValidationInterval,
            EarlyStoppingPatience = f.EarlyStoppingPatience,
            Seed = settings.Seed,
        };
    }

    private static IProgress<FineTuneProgress>? FineTuneProgress(IProgress<ForecastProgress>? progress) =>
        progress is null ? null : new ForwardingProgress<FineTuneProgress>(p => progress.Report(new ForecastProgress(p.Step, p.MaxSteps, "chronos fine-tune")));

    /// <summary>save_pretrained of the fine-tuned model (config.json of the source checkpoint, the tuned weights).</summary>
    private void SaveState(string sourceFolder, torch.nn.Module model)
    {
        if (!settings.FineTune.Save) return;
        string folder = Path.Combine(Path.GetTempPath(), "forecast-chronos-finetune", Guid.NewGuid().ToString("N"));
        try
        {
            ChronosCheckpointSaver.Save(folder, model.state_dict(), ChronosCheckpointConfig.ReadFolder(sourceFolder));
            _state = [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)
                .Select(path => ($"checkpoint/{Path.GetFileName(path)}", File.ReadAllBytes(path)))];
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static List<float[]> Values(IReadOnlyList<TimeSeries> histories) =>
        [.. histories.Select(h => h.Values.Select(v => (float)v).ToArray())];

    private static torch.ScalarType ScalarTypeOf(ChronosDType dtype) =>
        dtype == ChronosDType.Bfloat16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;
}
