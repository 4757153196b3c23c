using Forecast.Core.Artifacts;
using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Eda;
using Forecast.Core.Evaluation;
using Forecast.Core.Models;
using Forecast.Core.Models.Baselines;
using Forecast.Core.Plots;
using Forecast.Core.Series;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Sharding;
using Forecast.Trainer.Telemetry;

namespace Forecast.Trainer.Pipeline;

/// <summary>
/// One Trainer run, in the order of the seed's pipeline.py: load → clean → EDA → evaluate (holdout or backtest, with
/// seasonal naive on the same windows for relative scores) → forecast beyond the data → plots → commit. Everything
/// goes through a <see cref="RunWriter"/>; any failure aborts the run, so no partial run is ever committed.
/// </summary>
/// <remarks>Each stage is a span of <see cref="TrainerTelemetry"/>; model calls and uploads are spans of their own.</remarks>
public sealed class TrainingPipeline(TrainerConfig config, IRunLog log, IProgress<ForecastProgress>? progress = null, IArtifactStore? store = null, TimeProvider? clock = null, StorageLocations? locations = null,
    RunVariant? variant = null)
{
    private readonly IArtifactStore _store = new InstrumentedArtifactStore(store ?? new LocalFolderArtifactStore(config.Run.Output));
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly string _model = config.Model.Identity.ToString();

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var writer = new RunWriter(_store, variant?.RunId ?? RunIds.New(config.Run.Name, _clock.GetUtcNow().UtcDateTime), _clock);
        using var activity = TrainerTelemetry.Source.StartActivity("run");
        activity?.SetTag(TrainerTelemetry.RunIdTag, writer.RunId);
        activity?.SetTag(TrainerTelemetry.ModelTag, _model);
        var record = new RunRecord();
        try
        {
            await WriteConfigAsync(writer, cancellationToken);
            var series = await LoadAndCleanAsync(writer, record, cancellationToken);
            if (series.Count == 0) return await CommitEmptyAsync(writer, record, cancellationToken);
            await ExploreAsync(series, writer, record, cancellationToken);
            var created = config.Model.Create(new ModelContext(config.Run.Seed) { Locations = locations });
            var futureCovariates = FutureCovariatesOf(created);
            var model = TrainerTelemetry.Instrument(created);
            var (evaluationForecasts, score, baseline) = await EvaluateAsync(model, series, writer, record, cancellationToken);
            var future = await ForecastAsync(model, series, futureCovariates, writer, record, cancellationToken);
            await PlotAsync(series, evaluationForecasts[^1], future, writer, record, cancellationToken);
            if (created is Features.ModelRouter router) // the Model feature flag chose the model per series
                await writer.PutTextAsync("model_assignments.yaml", YamlText.Serialize(router.AssignmentsByModel()), cancellationToken);
            if (created is IHasRunWarnings warnings)
                foreach (string modelWarning in warnings.RunWarnings()) log.Warn(modelWarning);
            if (created is IHasModelState stateful)
                foreach (var (name, content) in stateful.ExportState())
                    await writer.PutAsync($"model/{name}", content, cancellationToken);
            if (variant is not null) await variant.BeforeCommitAsync(writer, record, cancellationToken);

            var manifest = await writer.CommitAsync(cancellationToken);
            log.Info($"Run {writer.RunId} committed: {manifest.Files.Count} files in {writer.Location}");
            if (writer.IndexWarning is { } indexWarning) log.Warn(indexWarning);
            return new RunResult(writer.RunId, writer.Location, manifest, score.Dataset, baseline.Dataset);
        }
        catch (Exception e)
        {
            TrainerTelemetry.RecordFailure(activity, "run", e);
            await writer.AbortAsync();
            throw;
        }
    }

    /// <summary>
    /// A shard left with no series (none hashed to it, or cleaning dropped them all): committed with its fingerprint,
    /// cleaning report and shard files, so the merge finds it and counts what cleaning dropped.
    /// </summary>
    private async Task<RunResult> CommitEmptyAsync(RunWriter writer, RunRecord record, CancellationToken cancellationToken)
    {
        await variant!.BeforeCommitAsync(writer, record, cancellationToken);
        var manifest = await writer.CommitAsync(cancellationToken);
        log.Info($"Run {writer.RunId} committed with no series: {manifest.Files.Count} files in {writer.Location}");
        if (writer.IndexWarning is { } warning) log.Warn(warning);
        var empty = new DatasetScore(DatasetName(config.Data.Path), _model, 0, 0, new Dictionary<string, double>());
        return new RunResult(writer.RunId, writer.Location, manifest, empty, empty with { Model = "seasonal_naive" });
    }

    /// <summary>
    /// The effective config goes first (every key resolved, --set overrides and feature flags applied): it is also the
    /// check that run.output is writable, before any work. flags.yaml follows: every flag, its source and what it changed.
    /// </summary>
    private async Task WriteConfigAsync(RunWriter writer, CancellationToken cancellationToken)
    {
        log.Info($"Run {writer.RunId}: model {_model}, writing to {writer.Location}");
        try
        {
            await writer.PutTextAsync(FlagsFile.ConfigFileName, FlagsFile.ConfigText(config), cancellationToken);
        }
        catch (ArtifactStoreException e)
        {
            throw new ConfigException(config.Source, "run.output",
                $"the output folder is not writable ({e.Message}); set run.output to a folder you can write to.");
        }
        await writer.PutTextAsync(FlagsFile.FileName, FlagsFile.Write(config.Flags), cancellationToken);
    }

    private async Task<IReadOnlyList<TimeSeries>> LoadAndCleanAsync(RunWriter writer, RunRecord record, CancellationToken cancellationToken)
    {
        LoadedData loaded;
        using (TrainerTelemetry.Source.StartActivity("load"))
        {
            var given = variant is null ? null : await variant.LoadAsync(config, locations, log, cancellationToken);
            if (given is null) log.Info($"Loading {config.Data.Path}");
            loaded = given ?? await LoadAsync(cancellationToken);
        }
        log.Info($"Loaded {loaded.Fingerprint.Rows} rows, {loaded.Fingerprint.Series} series (sha256 {loaded.Fingerprint.Sha256[..12]}…)");
        record.Fingerprint = loaded.Fingerprint;
        await writer.PutTextAsync("data_fingerprint.yaml", YamlText.Serialize(DataFingerprintFile(config.Data.Path, loaded.Fingerprint)), cancellationToken);
        var series = variant is null ? loaded.Series : variant.SelectSeries(loaded.Series, log);

        using var cleaning = TrainerTelemetry.Source.StartActivity("clean");
        var cleaned = SeriesCleaner.Clean(series, config.Cleaning, config.Data.Path);
        cleaning?.SetTag(TrainerTelemetry.SeriesCountTag, cleaned.Series.Count);
        foreach (string warning in cleaned.Report.Warnings) log.Warn(warning);
        log.Info($"Cleaned: {cleaned.Report.SeriesOut} series, {cleaned.Report.RowsOut} rows");
        record.Cleaned = cleaned;
        record.CleaningFile = YamlListDocument.Write(cleaned.Report with { Series = [] }, CleaningSeriesKey, cleaned.Report.Series);
        await writer.PutAsync("cleaning.yaml", record.CleaningFile.Bytes, cancellationToken);
        // A shard may be left with nothing (the merge checks that the dataset as a whole is not); a run may not.
        if (cleaned.Series.Count == 0 && variant is null)
            throw NothingLeft(config.Cleaning.MinLength, cleaned.Report.SeriesIn, config.Data.Path);
        record.Series = cleaned.Series;
        return cleaned.Series;
    }

    /// <summary>The key of cleaning.yaml's per-series list (<see cref="CleaningReport.Series"/>), its last key.</summary>
    public const string CleaningSeriesKey = "series";

    /// <summary>The key of eda.yaml's per-series list (<see cref="EdaReport.Series"/>), its last key.</summary>
    public const string EdaSeriesKey = "series";

    /// <summary>data_fingerprint.yaml: the data as configured and what was loaded from it.</summary>
    public static Dictionary<string, object> DataFingerprintFile(string path, DataFingerprint fingerprint) => new()
    {
        ["path"] = path,
        ["sha256"] = fingerprint.Sha256,
        ["rows"] = fingerprint.Rows,
        ["series"] = fingerprint.Series,
    };

    public static DataException NothingLeft(int minLength, int seriesIn, string path) =>
        new($"no series is left after cleaning (cleaning.min_length = {minLength} dropped all {seriesIn}); lower cleaning.min_length or check the data.", path, field: "cleaning.min_length");

    /// <summary>A local file through the loader's own checks; an s3:// object downloaded first (StorageLocations).</summary>
    private async Task<LoadedData> LoadAsync(CancellationToken cancellationToken)
    {
        if (!S3Uri.IsS3(config.Data.Path)) return await SeriesLoader.LoadAsync(config.Data, cancellationToken);
        if (locations is null) throw new DataException("s3:// data needs S3 storage, which this pipeline was built without.", config.Data.Path, field: "data.path");
        Stream stream;
        try
        {
            stream = await locations.OpenReadAsync(config.Data.Path, cancellationToken);
        }
        catch (S3StorageException e) when (e.Failure is S3Failure.ObjectNotFound or S3Failure.BucketNotFound)
        {
            throw new DataException($"{e.Message} Fix data.path.", config.Data.Path, field: "data.path", inner: e);
        }
        catch (FormatException e)
        {
            throw new DataException(e.Message, config.Data.Path, field: "data.path", inner: e);
        }
        await using (stream)
            return await SeriesLoader.LoadAsync(stream, config.Data.Path, config.Data, cancellationToken);
    }

    private async Task ExploreAsync(IReadOnlyList<TimeSeries> series, RunWriter writer, RunRecord record, CancellationToken cancellationToken)
    {
        if (!config.Eda.Enabled) return;
        log.Info("Exploring the series (EDA)");
        using var activity = TrainerTelemetry.Source.StartActivity("eda");
        var eda = SeriesExplorer.Explore(series, config.Eda, cancellationToken);
        record.Eda = eda;
        record.EdaFile = YamlListDocument.Write(eda.Report with { Series = [] }, EdaSeriesKey, eda.Report.Series);
        await writer.PutAsync("eda/eda.yaml", record.EdaFile.Bytes, cancellationToken);
        foreach (var plot in eda.Plots) await writer.PutAsync($"eda/{plot.Name}", plot.Png, cancellationToken);
    }

    private async Task<(IReadOnlyList<IReadOnlyList<SeriesForecast>> Forecasts, ModelScore Score, ModelScore Baseline)> EvaluateAsync(
        IForecaster model, IReadOnlyList<TimeSeries> series, RunWriter writer, RunRecord record, CancellationToken cancellationToken)
    {
        var options = config.Evaluation;
        var windows = EvaluationSplitter.Split(series, options);
        string dataset = DatasetName(config.Data.Path);
        int SeasonLength(TimeSeries s) => options.SeasonLength ?? s.Frequency?.DefaultSeasonLength ?? 1;

        using var activity = TrainerTelemetry.Source.StartActivity("evaluate");
        log.Info($"Evaluating {_model}: {options.Mode.ToString().ToLowerInvariant()}, horizon {options.Horizon}, {windows.Count} window(s), {series.Count} series");
        var (forecasts, score) = await ForecastEvaluator.EvaluateAsync(dataset, model, windows, options, SeasonLength, progress, cancellationToken);
        // The run names its model by identity (name/variant@checkpoint), not by the forecaster's family name.
        score = score with { Dataset = score.Dataset with { Model = _model } };
        var (_, baseline) = await ForecastEvaluator.EvaluateAsync(dataset, new SeasonalNaiveForecaster(options.SeasonLength), windows, options, SeasonLength, null, cancellationToken);
        log.Info("Metrics: " + string.Join(", ", score.Dataset.Metrics.Select(m => FormattableString.Invariant($"{m.Key} {m.Value:G4}"))));
        var relative = RelativeScores.Ratios(score.Dataset.Metrics, baseline.Dataset.Metrics)
            .Where(r => r.Key is MetricNames.Mase or MetricNames.Wql)
            .Select(r => FormattableString.Invariant($"{r.Key} {r.Value:F3}")).ToList();
        if (relative.Count > 0) log.Info($"Relative to seasonal naive (lower is better): {string.Join(", ", relative)}");

        record.Score = score;
        record.SeasonalNaive = baseline;
        record.MetricsFile = MetricsFile(options, score, baseline, record.Fingerprint!.Sha256);
        await writer.PutAsync("metrics.yaml", record.MetricsFile.Bytes, cancellationToken);
        var table = windows.Select((w, i) => ((int?)w.Index, forecasts[i], (IReadOnlyList<double[]>?)w.Actuals)).ToList();
        record.EvaluationCsv = ForecastCsvWriter.WriteBlocks(table, options.Quantiles);
        await writer.PutAsync("evaluation/forecasts.csv", record.EvaluationCsv.Bytes, cancellationToken);
        return (forecasts, score, baseline);
    }

    /// <summary>metrics.yaml as a head and one entry per series (<see cref="MetricsReport"/>), as the merge of a sharded run writes it too.</summary>
    private static YamlListFile MetricsFile(EvaluationOptions options, ModelScore score, ModelScore baseline, string dataSha256)
    {
        var seriesRatios = new GeometricMeanAccumulator();
        var entries = new object[score.PerSeries.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = MetricsReport.SeriesEntry(score.PerSeries[i], baseline.PerSeries[i], out var ratios);
            seriesRatios.Add(ratios);
        }
        return YamlListDocument.Write(MetricsReport.Head(options, score.Dataset, baseline.Dataset, seriesRatios.Result(), dataSha256), MetricsReport.SeriesKey, entries);
    }

    /// <summary>
    /// The covariates whose future values the model needs beyond the data; checked before any work, so a config that
    /// cannot forecast fails at once (a config error naming data.future_covariates_path).
    /// </summary>
    private IReadOnlyList<string> FutureCovariatesOf(IForecaster model)
    {
        if (model is not Models.IUsesFutureCovariates { FutureCovariateNames.Count: > 0 } user) return [];
        if (config.Data.FutureCovariatesPath is null)
            throw new ConfigException(config.Source, "data.future_covariates_path",
                $"{user.FutureCovariatesKey} needs the future values of {string.Join(", ", user.FutureCovariateNames)} to forecast beyond the data; set data.future_covariates_path to a CSV with {config.Data.IdColumn}, {config.Data.TimeColumn} and those columns, {config.Evaluation.Horizon} rows per series.");
        return user.FutureCovariateNames;
    }

    private async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(IForecaster model, IReadOnlyList<TimeSeries> series, IReadOnlyList<string> futureCovariates,
        RunWriter writer, RunRecord record, CancellationToken cancellationToken)
    {
        using var activity = TrainerTelemetry.Source.StartActivity("forecast");
        log.Info($"Forecasting {config.Evaluation.Horizon} steps beyond the data with {_model}");
        var request = new ForecastRequest(config.Evaluation.Horizon, config.Evaluation.Quantiles);
        if (futureCovariates.Count > 0)
        {
            log.Info($"Reading future covariates {string.Join(", ", futureCovariates)} from {config.Data.FutureCovariatesPath}");
            request = request with
            {
                FutureCovariates = FutureCovariatesFile.Read(config.Data.FutureCovariatesPath!, config.Data, series, futureCovariates, config.Evaluation.Horizon),
            };
        }
        var future = await model.ForecastAsync(series, request, progress, cancellationToken);
        record.ForecastCsv = ForecastCsvWriter.WriteBlocks([(null, future, null)], request.Quantiles);
        record.ParquetRows = [.. future.Select(f => f.Mean.Length)];
        await writer.PutAsync("forecasts.csv", record.ForecastCsv.Bytes, cancellationToken);
        await writer.PutAsync("forecasts.parquet", await ForecastParquetWriter.WriteAsync(future, request.Quantiles, variant?.ParquetRowGroupRows ?? ForecastParquetWriter.RowGroupRows, cancellationToken), cancellationToken);
        return future;
    }

    private async Task PlotAsync(IReadOnlyList<TimeSeries> series, IReadOnlyList<SeriesForecast> evaluation,
        IReadOnlyList<SeriesForecast> future, RunWriter writer, RunRecord record, CancellationToken cancellationToken)
    {
        if (!config.Plots.Enabled || config.Plots.MaxSeries == 0) return;
        int count = Math.Min(config.Plots.MaxSeries, series.Count);
        log.Info($"Plotting {count} of {series.Count} series");
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var png = ForecastPlotter.Render(series[i], evaluation[i], future[i], config.Plots.Render);
            string file = $"plots/{SeriesFileNames.For(series[i].Id, used)}.png";
            await writer.PutAsync(file, png, cancellationToken);
            record.Plots.Add((series[i].Id, file));
        }
    }

    /// <summary>The data file's name without its extensions: sales.csv, sales.csv.gz and sales.parquet are all "sales".</summary>
    public static string DatasetName(string path)
    {
        string name = Path.GetFileName(path);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        return Path.GetFileNameWithoutExtension(name);
    }
}
