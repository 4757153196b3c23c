using Forecast.Chronos;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Common;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Frames;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Lora;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Core.Storage;
using TorchSharp;
using ChronosModels = Forecast.Chronos.Chronos;

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
    private IChronosPipeline? _pipeline;
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
        int horizon = request.Horizon;
        var pipeline = Pipeline(folder);
        var history = ChronosSeriesFrames.History(histories, settings.Grouping, settings.GroupSeparator, settings.PastCovariates, settings.FutureCovariates);
        string? groupColumn = settings.Grouping == ChronosGrouping.IdPrefix ? ChronosSeriesFrames.GroupColumn : null;
        var step = ChronosSeriesFrames.StepOf(histories);
        if (settings.FineTune.Enabled)
        {
            SaveState(folder, FineTune(pipeline, histories, history, groupColumn, step, horizon, progress, cancellationToken));
        }
        if (pipeline is ChronosT5Pipeline t5) // a seed makes the sampled paths (and so the run) reproducible
            t5.Sampling = new SamplingSettings { NumSamples = settings.NumSamples, Seed = settings.Seed };
        int units = groupColumn is null ? histories.Count : history.CategoricalColumns[groupColumn].Distinct().Count();
        string unitName = pipeline.Family == ChronosModelFamily.Chronos2 ? "chronos forecast (tasks)" : "chronos forecast";
        var table = pipeline.PredictFrame(history, horizon, levels, new FrameForecastOptions
        {
            BatchSize = settings.BatchSize,
            GroupColumn = groupColumn,
            Future = ChronosSeriesFrames.Future(histories, horizon, settings.FutureCovariates, (id, column) => request.FutureValues(id, column, FutureCovariatesKey)),
            Frequency = step,
            Progress = progress is null ? null : new ForwardingProgress<int>(done => progress.Report(new ForecastProgress(done, units, unitName))),
        }, cancellationToken);

        // One block of `horizon` rows per series, in the histories' order (their ids are distinct).
        var result = new SeriesForecast[histories.Count];
        for (int i = 0; i < histories.Count; i++)
        {
            var series = histories[i];
            var frequency = series.Frequency
                ?? throw new InvalidOperationException($"Series '{series.Id}' has no frequency; Chronos needs one to date the forecast (set cleaning.frequency).");
            int first = i * horizon;
            double[][] quantiles = request.Quantiles.Count == 0
                ? []
                : [.. table.Quantiles.Select(column => column.AsSpan(first, horizon).ToArray().Select(v => (double)v).ToArray())];
            result[i] = new SeriesForecast(series.Id, frequency.Following(series.Timestamps[^1], horizon),
                [.. table.Mean.Skip(first).Take(horizon).Select(v => (double)v)], request.Quantiles, quantiles);
        }
        return result;
    }

    /// <summary>
    /// Fine-tunes the freshly loaded pipeline on exactly the histories of this call (train.py / Chronos2Pipeline.fit);
    /// returns the tuned network.
    /// </summary>
    private torch.nn.Module FineTune(IChronosPipeline pipeline, IReadOnlyList<TimeSeries> histories, SeriesFrame history, string? groupColumn,
        TimeStep? step, int horizon, IProgress<ForecastProgress>? progress, CancellationToken cancellationToken)
    {
        var options = FineTuneOptions();
        var tuneProgress = FineTuneProgress(progress);
        switch (pipeline)
        {
            case ChronosBoltPipeline bolt:
                LastFineTune = new ChronosFineTuner(new ChronosBoltObjective(bolt.Model)).Fit(Values(histories), options, tuneProgress, cancellationToken);
                return bolt.Model;
            case ChronosT5Pipeline t5:
                LastFineTune = new ChronosFineTuner(new ChronosT5Objective(t5)).Fit(Values(histories), options, tuneProgress, cancellationToken);
                return t5.Model;
            default:
                var chronos2 = (Chronos2Pipeline)pipeline;
                var tasks = Chronos2FrameTasks.Build(history, horizon, new FrameForecastOptions { GroupColumn = groupColumn, Frequency = step }).Tasks;
                if (settings.FineTune.Mode == ChronosFineTuneMode.Lora)
                {
                    var (result, adapter) = new Chronos2FineTuner(chronos2.Model).FitLora(tasks, horizon, options, settings.FineTune.Lora, null,
                        tuneProgress, cancellationToken);
                    LastFineTune = result;
                    return adapter;   // merged into the model already; its A and B are what is saved
                }
                LastFineTune = new Chronos2FineTuner(chronos2.Model).Fit(tasks, horizon, options, null, tuneProgress, cancellationToken);
                return chronos2.Model;
        }
    }

    /// <summary>The cached pipeline, or a fresh one from the pretrained weights when fine-tuning (each call starts from them).</summary>
    private IChronosPipeline Pipeline(string folder)
    {
        if (!settings.FineTune.Enabled && _pipeline is { } cached) return cached;
        _pipeline?.Dispose();
        _pipeline = null;
        // The Trainer is a process that only runs its job: the process-wide malloc and GC tunings are on.
        _pipeline = ChronosModels.FromPretrained(folder, new ChronosLoadOptions
        {
            DType = ScalarTypeOf(settings.DType),
            Inference = ChronosInferenceOptions.ForDedicatedProcess(),
        });
        return _pipeline;
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

    /// <summary>save_pretrained of the fine-tuned model (config.json of the source checkpoint, the tuned weights), or of the LoRA adapter.</summary>
    private void SaveState(string sourceFolder, torch.nn.Module model)
    {
        if (!settings.FineTune.Save)
        {
            (model as LoraAdapter)?.Dispose();
            return;
        }
        string folder = Path.Combine(Path.GetTempPath(), "forecast-chronos-finetune", Guid.NewGuid().ToString("N"));
        try
        {
            // LoRA: peft's adapter files (model/adapter/), loadable onto the checkpoint by Python's from_pretrained and ours.
            string prefix = model is LoraAdapter ? "adapter" : "checkpoint";
            if (model is LoraAdapter adapter)
            {
                using (adapter) adapter.Save(folder, settings.Checkpoint);
            }
            else
            {
                ChronosCheckpointSaver.Save(folder, model.state_dict(), ChronosCheckpointConfig.ReadFolder(sourceFolder));
            }
            _state = [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)
                .Select(path => ($"{prefix}/{Path.GetFileName(path)}", File.ReadAllBytes(path)))];
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
