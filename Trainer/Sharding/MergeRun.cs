using System.Buffers;
using Forecast.Core.Artifacts;
using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Eda;
using Forecast.Core.Evaluation;
using Forecast.Core.Models.Baselines;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;
using Forecast.Trainer.Telemetry;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// <c>merge --batch B --shards N</c>: combines the committed shard runs B-shard-0-of-N … B-shard-(N-1)-of-N into one
/// ordinary committed run under runs/, equal byte for byte to the run one process would write over all series, without
/// reading the input or running a model. Every per-series file (cleaning.yaml, eda.yaml, metrics.yaml, the forecast
/// CSVs) is the shards' entries copied in global series order after a head recomputed from the shards' statistics
/// (<see cref="MergeOrder"/>: the same accumulators, fed in the same order, as a single run); forecasts.parquet is
/// re-encoded from the shards' row groups; the first series' plots are copied. Time and memory grow with the number of
/// series, not of rows. The manifest is written last, so a failed merge leaves no run.
/// </summary>
public static class MergeRun
{
    public const string ShardsFileName = "shards.yaml";

    /// <summary>The routing record a single run writes when the model feature flag routes series (ModelRouter).</summary>
    public const string AssignmentsFileName = "model_assignments.yaml";

    private const int ReadBuffer = 1 << 18;

    public static async Task<RunResult> RunAsync(TrainerConfig config, string batch, int count, StorageLocations locations, IRunLog log,
        TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        clock ??= TimeProvider.System;
        using var activity = TrainerTelemetry.Source.StartActivity("merge");
        var set = await ShardSet.LoadAsync(locations.OpenArtifactStore(ShardRun.StoreLocation(config.Run.Output)), batch, count, config, cancellationToken).ConfigureAwait(false);
        var shards = set.Shards;
        int seriesOut = shards.Sum(s => s.Summary.SeriesOut);
        log.Info($"Merging batch '{batch}': {count} shard run(s), {seriesOut} series");
        if (seriesOut == 0) throw TrainingPipeline.NothingLeft(config.Cleaning.MinLength, shards.Sum(s => s.Summary.SeriesIn), config.Data.Path);
        var order = await MergeOrder.BuildAsync(set, config, cancellationToken).ConfigureAwait(false);

        var options = config.Evaluation;
        string dataset = TrainingPipeline.DatasetName(config.Data.Path);
        string model = shards.First(s => s.HasSeries).Summary.Model;
        var score = order.Score.Result(dataset, model, options.EffectiveWindows);
        var baseline = order.SeasonalNaive.Result(dataset, SeasonalNaiveForecaster.ModelName, options.EffectiveWindows);
        log.Info("Metrics: " + string.Join(", ", score.Metrics.Select(m => FormattableString.Invariant($"{m.Key} {m.Value:G4}"))));

        var store = new InstrumentedArtifactStore(locations.OpenArtifactStore(config.Run.Output));
        var writer = new RunWriter(store, RunIds.New(config.Run.Name, clock.GetUtcNow().UtcDateTime), clock);
        var files = new List<(string Path, Task<TemporaryRunFile> File)>();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await writer.PutTextAsync(FlagsFile.ConfigFileName, FlagsFile.ConfigText(config), cancellationToken).ConfigureAwait(false);
            await writer.PutTextAsync(FlagsFile.FileName, FlagsFile.Write(config.Flags), cancellationToken).ConfigureAwait(false);
            var data = shards[0].Summary.Data;
            await writer.PutTextAsync("data_fingerprint.yaml",
                YamlText.Serialize(TrainingPipeline.DataFingerprintFile(config.Data.Path, new DataFingerprint(data.Sha256, data.Rows, data.Series))), cancellationToken).ConfigureAwait(false);

            // The large files, each from all shards side by side, in parallel (each a sequential pass over its inputs).
            void Start(string path, Func<CancellationToken, Task<TemporaryRunFile>> write) =>
                files.Add((path, Task.Run(async () =>
                {
                    try { return await write(failed.Token).ConfigureAwait(false); }
                    catch { await failed.CancelAsync().ConfigureAwait(false); throw; }
                })));
            var cleaningHead = CleaningHead(shards, config.Cleaning);
            Start("cleaning.yaml", ct => InterleaveAsync(set, order, "cleaning.yaml", cleaningHead, s => s.Summary.Heads.Cleaning, [order.Cleaning], null, ct));
            if (config.Eda.Enabled)
            {
                var edaHead = Utf8(YamlListDocument.Head(new EdaReport { Overall = order.OverallEda.Result() }, TrainingPipeline.EdaSeriesKey));
                Start("eda/eda.yaml", ct => InterleaveAsync(set, order, "eda/eda.yaml", edaHead, s => s.Summary.Heads.Eda, [order.Eda], null, ct));
            }
            var metricsHead = Utf8(YamlListDocument.Head(MetricsReport.Head(options, score, baseline, order.SeriesRatios.Result(), shards[0].Summary.Data.Sha256), MetricsReport.SeriesKey));
            Start("metrics.yaml", ct => InterleaveAsync(set, order, "metrics.yaml", metricsHead, s => s.Summary.Heads.Metrics, [order.Metrics], null, ct));
            bool evaluationDates = shards.Where(s => s.HasSeries).All(s => s.Summary.EvaluationCsvDateOnly);
            Start("evaluation/forecasts.csv", ct => InterleaveAsync(set, order, "evaluation/forecasts.csv", ForecastCsvWriter.Header(options.Quantiles, withWindow: true, withActuals: true),
                s => s.Summary.Heads.EvaluationCsv, order.EvaluationCsv, evaluationDates ? null : new CsvTimes(WithWindow: true, s => s.Summary.EvaluationCsvDateOnly), ct));
            bool forecastDates = shards.Where(s => s.HasSeries).All(s => s.Summary.ForecastCsvDateOnly);
            Start("forecasts.csv", ct => InterleaveAsync(set, order, "forecasts.csv", ForecastCsvWriter.Header(options.Quantiles, withWindow: false, withActuals: false),
                s => s.Summary.Heads.ForecastCsv, [order.ForecastCsv], forecastDates ? null : new CsvTimes(WithWindow: false, s => s.Summary.ForecastCsvDateOnly), ct));
            Start("forecasts.parquet", ct => MergeParquetAsync(set, order, options.Quantiles, ct));

            await WhenAllOrFirstFailure(files.Select(f => f.File)).ConfigureAwait(false);
            foreach (var (path, file) in files)
                await writer.PutFileAsync(path, await file.ConfigureAwait(false), path == "metrics.yaml" ? metricsHead : default, cancellationToken).ConfigureAwait(false);

            await CopyPlotsAsync(set, order, config, writer, cancellationToken).ConfigureAwait(false);
            await MergeAssignmentsAsync(set, writer, cancellationToken).ConfigureAwait(false);
            await CopyModelStateAsync(set, writer, cancellationToken).ConfigureAwait(false);
            await writer.PutTextAsync(ShardsFileName, YamlText.Serialize(new Dictionary<string, object?>
            {
                ["batch"] = batch,
                ["shard_runs_in"] = set.Store.Describe("runs"),
                ["hash"] = "FNV-1a-64 of the UTF-8 unique_id, mod shards",
                ["partitions"] = shards[0].Summary.Partitions?.Location,
                ["shards"] = shards.Select((s, i) => new Dictionary<string, object?>
                {
                    ["index"] = i,
                    ["run_id"] = s.Manifest.RunId,
                    ["series"] = s.Summary.SeriesOut,
                }).ToList(),
            }), cancellationToken).ConfigureAwait(false);

            var manifest = await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
            log.Info($"Run {writer.RunId} committed: {manifest.Files.Count} files in {writer.Location}");
            if (writer.IndexWarning is { } warning) log.Warn(warning);
            return new RunResult(writer.RunId, writer.Location, manifest, score, baseline);
        }
        catch (Exception e)
        {
            TrainerTelemetry.RecordFailure(activity, "merge", e);
            await writer.AbortAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            foreach (var (_, file) in files)
                if (file.IsCompletedSuccessfully) await file.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The first failure of a set of tasks, not the cancellations it caused in the others.</summary>
    private static async Task WhenAllOrFirstFailure(IEnumerable<Task> tasks)
    {
        var all = tasks.ToList();
        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch
        {
            var failure = all.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            throw;
        }
    }

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>cleaning.yaml's head: all shards' counts, and their dropped series in series order.</summary>
    private static byte[] CleaningHead(IReadOnlyList<LoadedShard> shards, CleaningOptions options)
    {
        var dropped = shards.SelectMany(s => s.Summary.Dropped).Select(d => (d.Id, d.Length)).ToList();
        dropped.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var report = SeriesCleaner.Report(options, shards.Sum(s => s.Summary.SeriesIn), shards.Sum(s => s.Summary.SeriesOut),
            shards.Sum(s => s.Summary.RowsIn), shards.Sum(s => s.Summary.RowsOut), dropped, []);
        return Utf8(YamlListDocument.Head(report, TrainingPipeline.CleaningSeriesKey));
    }

    /// <summary>How a forecast CSV's times are widened for shards that wrote dates when the merged file has date-times.</summary>
    private sealed record CsvTimes(bool WithWindow, Func<LoadedShard, bool> DateOnly);

    /// <summary>
    /// Writes <paramref name="head"/>, then per section (a window of evaluation/forecasts.csv; the one list of the other
    /// files) each series' entry in global order, copied from its shard's file; every shard file is read once, front
    /// to back, and checked against its manifest at the end.
    /// </summary>
    private static async Task<TemporaryRunFile> InterleaveAsync(ShardSet set, MergeOrder order, string path, byte[] head, Func<LoadedShard, int> headLength,
        IReadOnlyList<List<int>[]> sections, CsvTimes? times, CancellationToken cancellationToken)
    {
        var shards = set.Shards;
        var inputs = new ShardFile?[shards.Count];
        var output = new TemporaryRunFile();
        try
        {
            for (int s = 0; s < shards.Count; s++)
            {
                if (!shards[s].HasSeries) continue;
                inputs[s] = await ShardFile.OpenAsync(set, shards[s], path, ReadBuffer, cancellationToken).ConfigureAwait(false);
                inputs[s]!.Skip(headLength(shards[s]));
            }
            var widen = times is null ? null : shards.Select(s => s.HasSeries && times.DateOnly(s)).ToArray();
            using (var sink = new BufferedStream(output.Stream, 1 << 20))
            {
                sink.Write(head);
                var block = new byte[1 << 16];
                var widened = new ArrayBufferWriter<byte>(1 << 16);
                var picks = order.Shards;
                foreach (var section in sections)
                {
                    var cursors = new int[shards.Count];
                    for (int g = 0; g < picks.Count; g++)
                    {
                        if ((g & 0xFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                        int s = picks[g];
                        int length = section[s][cursors[s]++];
                        if (block.Length < length) block = new byte[Math.Max(length, block.Length * 2)];
                        inputs[s]!.Read(block.AsSpan(0, length));
                        if (widen is not null && widen[s])
                        {
                            widened.ResetWrittenCount();
                            try
                            {
                                ForecastCsvTimes.WidenDates(block.AsSpan(0, length), times!.WithWindow, widened);
                            }
                            catch (InvalidDataException)
                            {
                                throw set.Damaged(shards[s], path);
                            }
                            sink.Write(widened.WrittenSpan);
                        }
                        else sink.Write(block, 0, length);
                    }
                }
            }
            foreach (var input in inputs) input?.Verify();
            return output;
        }
        catch
        {
            await output.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            foreach (var input in inputs) input?.Dispose();
        }
    }

    /// <summary>forecasts.parquet: the shards' rows, series by series in global order, through the writer a single run uses.</summary>
    private static async Task<TemporaryRunFile> MergeParquetAsync(ShardSet set, MergeOrder order, IReadOnlyList<double> quantileLevels, CancellationToken cancellationToken)
    {
        var shards = set.Shards;
        var cursors = new ShardParquetCursor?[shards.Count];
        var output = new TemporaryRunFile();
        try
        {
            for (int s = 0; s < shards.Count; s++)
                if (shards[s].HasSeries) cursors[s] = await ShardParquetCursor.OpenAsync(set, shards[s], quantileLevels, cancellationToken).ConfigureAwait(false);
            long rows = order.ParquetRows.Sum(r => r.Sum(n => (long)n));
            await using (var parquet = await ForecastParquetWriter.CreateAsync(output.Stream, quantileLevels, rows, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var next = new int[shards.Count];
                foreach (int s in order.Shards)
                {
                    var (id, times, values) = await cursors[s]!.TakeAsync(order.ParquetRows[s][next[s]++], cancellationToken).ConfigureAwait(false);
                    await parquet.AddAsync(id, times, values[0], values[1..], cancellationToken).ConfigureAwait(false);
                }
            }
            foreach (var cursor in cursors) cursor?.VerifyAtEnd();
            return output;
        }
        catch
        {
            await output.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            foreach (var cursor in cursors)
                if (cursor is not null) await cursor.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The EDA and forecast plots of the first series in global order, copied from the shards that drew them (each
    /// shard draws its own first series, which include these) under the names a single run gives them.
    /// </summary>
    private static async Task CopyPlotsAsync(ShardSet set, MergeOrder order, TrainerConfig config, RunWriter writer, CancellationToken cancellationToken)
    {
        var shardOf = new Dictionary<string, LoadedShard>(StringComparer.Ordinal);
        var edaPlots = new Dictionary<string, List<EdaPlotFile>>(StringComparer.Ordinal);
        var plots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var shard in set.Shards)
        {
            foreach (var plot in shard.Summary.EdaPlots)
            {
                shardOf[plot.Series] = shard;
                if (!edaPlots.TryGetValue(plot.Series, out var list)) edaPlots[plot.Series] = list = [];
                list.Add(plot);
            }
            foreach (var plot in shard.Summary.Plots)
            {
                shardOf[plot.Series] = shard;
                plots[plot.Series] = plot.File;
            }
        }
        async Task CopyAsync(string id, string from, string to)
        {
            var shard = shardOf[id];
            await writer.PutAsync(to, await set.ReadVerifiedAsync(shard, from, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        if (config.Eda.Enabled)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (string id in order.FirstIds.Take(config.Eda.MaxPlottedSeries))
            {
                string name = SeriesFileNames.For(id, used);
                if (!edaPlots.TryGetValue(id, out var drawn))
                    throw new ShardMergeException($"No shard of batch '{set.Batch}' drew the EDA plots of series '{id}'; rerun its shard with the merge's config.");
                foreach (var plot in drawn) await CopyAsync(id, $"eda/{plot.BaseName}{plot.Suffix}", $"eda/{name}{plot.Suffix}").ConfigureAwait(false);
            }
        }
        if (config.Plots.Enabled && config.Plots.MaxSeries > 0)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (string id in order.FirstIds.Take(config.Plots.MaxSeries))
            {
                string file = $"plots/{SeriesFileNames.For(id, used)}.png";
                if (!plots.TryGetValue(id, out var drawn))
                    throw new ShardMergeException($"No shard of batch '{set.Batch}' drew the forecast plot of series '{id}'; rerun its shard with the merge's config.");
                await CopyAsync(id, drawn, file).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The shards' model_assignments.yaml (model → its series) combined as the single run's ModelRouter writes it:
    /// models in ordinal order, each model's series in ordinal order.
    /// </summary>
    private static async Task MergeAssignmentsAsync(ShardSet set, RunWriter writer, CancellationToken cancellationToken)
    {
        var byModel = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        bool any = false;
        foreach (var shard in set.Shards)
        {
            if (shard.Entry(AssignmentsFileName) is null) continue;
            var bytes = await set.ReadVerifiedAsync(shard, AssignmentsFileName, cancellationToken).ConfigureAwait(false);
            Dictionary<string, List<string>>? assignments;
            try
            {
                assignments = new YamlDotNet.Serialization.DeserializerBuilder().Build()
                    .Deserialize<Dictionary<string, List<string>>?>(System.Text.Encoding.UTF8.GetString(bytes));
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new ShardMergeException($"{set.Store.Describe(shard.Prefix + AssignmentsFileName)} is not a model assignment map ({e.Message}); rerun that shard.", e);
            }
            any = true;
            foreach (var (model, ids) in assignments ?? [])
            {
                if (!byModel.TryGetValue(model, out var all)) byModel[model] = all = [];
                all.AddRange(ids);
            }
        }
        if (!any) return;
        foreach (var ids in byModel.Values) ids.Sort(StringComparer.Ordinal);
        await writer.PutTextAsync(AssignmentsFileName, YamlText.Serialize(byModel), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each shard's model state (model/…, e.g. fitted Prophet models) under model/shard-i/.</summary>
    private static async Task CopyModelStateAsync(ShardSet set, RunWriter writer, CancellationToken cancellationToken)
    {
        for (int i = 0; i < set.Shards.Count; i++)
        {
            var shard = set.Shards[i];
            foreach (var file in shard.Manifest.Files.Where(f => f.Path.StartsWith("model/", StringComparison.Ordinal)))
                await writer.PutAsync($"model/shard-{i}/{file.Path["model/".Length..]}", await set.ReadVerifiedAsync(shard, file.Path, cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
        }
    }
}
