using Forecast.Core.Artifacts;
using Forecast.Core.Series;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// <c>merge --batch B --shards N</c>: combines the committed shard runs B-shard-0-of-N … B-shard-(N-1)-of-N into one
/// ordinary committed run under runs/. It is a normal pipeline run over all series (same load, cleaning, EDA,
/// evaluation windows, metrics over all series, forecast files, plots, manifest last) whose model is a
/// <see cref="ReplayForecaster"/> over the shards' forecasts, so the merged run equals a single-process run.
/// Model state files of the shards are kept under model/shard-i/; their model_assignments.yaml (feature-flag routing)
/// are combined into one, as a single run writes it.
/// </summary>
public sealed class MergeRun : RunVariant
{
    public const string ShardsFileName = "shards.yaml";

    private readonly string _batch;
    private readonly IArtifactStore _shardStore;
    private readonly IReadOnlyList<(RunManifest Manifest, ShardForecasts Forecasts)> _shards;

    private MergeRun(string batch, IArtifactStore shardStore, IReadOnlyList<(RunManifest, ShardForecasts)> shards)
    {
        _batch = batch;
        _shardStore = shardStore;
        _shards = shards;
        var models = shards.Select(s => s.Item2.Model).Where(m => m.Length > 0).Distinct().ToList();
        if (models.Count > 1)
            throw new ShardMergeException($"The shards of batch '{batch}' ran different models ({string.Join(", ", models)}); rerun them with one config.");
        Model = new ReplayForecaster(models.FirstOrDefault() ?? "", shards.SelectMany(s => s.Item2.Calls.Select(c => (c, s.Item2.Shard))));
    }

    public ReplayForecaster Model { get; }

    /// <summary>Reads and checks the N shard runs of <paramref name="batch"/>: each committed, whole, and of this batch.</summary>
    public static async Task<MergeRun> LoadAsync(IArtifactStore shardStore, string batch, int count, IRunLog log, CancellationToken cancellationToken)
    {
        if (count < 1 || count > ShardSpec.MaxCount)
            throw new ConfigException("command line", "--shards", $"{count}: the shard count must be between 1 and {ShardSpec.MaxCount}, as given to --shard i/N.");
        var shards = new List<(RunManifest, ShardForecasts)>(count);
        for (int i = 0; i < count; i++)
        {
            string runId = new ShardSpec(i, count).RunId(batch);
            string where = ShardRun.Location(shardStore, runId);
            var manifest = await RunCatalog.GetAsync(shardStore, runId, cancellationToken).ConfigureAwait(false)
                ?? throw new ShardMergeException($"Shard {i}/{count} of batch '{batch}' is not committed ({where} has no manifest.json): run the Trainer with --shard {i}/{count} --batch {batch} first, then merge.");
            var damaged = await RunCatalog.VerifyAsync(shardStore, manifest, cancellationToken).ConfigureAwait(false);
            if (damaged.Count > 0)
                throw new ShardMergeException($"Shard {i}/{count} run {where} is damaged ({string.Join(", ", damaged)} missing or not matching manifest.json); delete it and rerun --shard {i}/{count}.");
            var bytes = await shardStore.GetAsync(RunIds.Prefix(runId) + ShardForecasts.FileName, cancellationToken).ConfigureAwait(false)
                ?? throw new ShardMergeException($"Shard {i}/{count} run {where} has no {ShardForecasts.FileName}; it was not written by --shard.");
            var forecasts = ShardForecasts.Parse(bytes, shardStore.Describe(RunIds.Prefix(runId) + ShardForecasts.FileName));
            if (forecasts.Batch != batch || forecasts.Shard != i || forecasts.Shards != count)
                throw new ShardMergeException($"{where} holds shard {forecasts.Shard}/{forecasts.Shards} of batch '{forecasts.Batch}', not {i}/{count} of '{batch}'.");
            shards.Add((manifest, forecasts));
        }
        log.Info($"Merging batch '{batch}': {count} shard run(s), {shards.Sum(s => s.Item2.Series.Count)} series");
        return new MergeRun(batch, shardStore, shards);
    }

    /// <summary>The merge's config: the shards' model is replaced by the replay (no model is built or loaded).</summary>
    public TrainerConfig Adjust(TrainerConfig config) =>
        config with { Model = config.Model with { Create = _ => Model } };

    /// <summary>
    /// The shards' model_assignments.yaml (model → its series) combined as the single run's ModelRouter writes it:
    /// models in ordinal order, each model's series in ordinal order.
    /// </summary>
    private async Task MergeAssignmentsAsync(RunWriter writer, CancellationToken cancellationToken)
    {
        var byModel = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        bool any = false;
        foreach (var (manifest, _) in _shards)
        {
            if (!manifest.Files.Any(f => f.Path == AssignmentsFileName)) continue;
            string key = RunIds.Prefix(manifest.RunId) + AssignmentsFileName;
            var bytes = await _shardStore.GetAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new ShardMergeException($"{_shardStore.Describe(key)} disappeared during the merge.");
            Dictionary<string, List<string>>? shard;
            try
            {
                shard = new YamlDotNet.Serialization.DeserializerBuilder().Build()
                    .Deserialize<Dictionary<string, List<string>>?>(System.Text.Encoding.UTF8.GetString(bytes));
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new ShardMergeException($"{_shardStore.Describe(key)} is not a model assignment map ({e.Message}); rerun that shard.", e);
            }
            any = true;
            foreach (var (model, ids) in shard ?? [])
            {
                if (!byModel.TryGetValue(model, out var all)) byModel[model] = all = [];
                all.AddRange(ids);
            }
        }
        if (!any) return;
        foreach (var ids in byModel.Values) ids.Sort(StringComparer.Ordinal);
        await writer.PutTextAsync(AssignmentsFileName, YamlText.Serialize(byModel), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that the cleaned data splits into exactly the series each shard forecast.</summary>
    public override IReadOnlyList<TimeSeries> SelectSeries(IReadOnlyList<TimeSeries> series, IRunLog log)
    {
        int count = _shards.Count;
        var expected = new List<string>[count];
        for (int i = 0; i < count; i++) expected[i] = [];
        foreach (var s in series) expected[ShardSpec.Of(s.Id, count)].Add(s.Id);
        for (int i = 0; i < count; i++)
        {
            var had = _shards[i].Forecasts.Series;
            if (had.SequenceEqual(expected[i], StringComparer.Ordinal)) continue;
            var missing = expected[i].Except(had, StringComparer.Ordinal).Take(5).ToList();
            var extra = had.Except(expected[i], StringComparer.Ordinal).Take(5).ToList();
            throw new ShardMergeException($"Shard {i}/{count} of batch '{_batch}' forecast {had.Count} series but the cleaned data gives it {expected[i].Count}" +
                (missing.Count > 0 ? $" (not in the shard: {string.Join(", ", missing)})" : "") +
                (extra.Count > 0 ? $" (no longer in the data: {string.Join(", ", extra)})" : "") +
                ": the data or config changed since the shards ran; rerun the shards, or merge with their config and data.");
        }
        return series;
    }

    /// <summary>The routing record a single run writes when the model feature flag routes series (ModelRouter).</summary>
    public const string AssignmentsFileName = "model_assignments.yaml";

    public override async Task BeforeCommitAsync(RunWriter writer, CancellationToken cancellationToken)
    {
        await MergeAssignmentsAsync(writer, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < _shards.Count; i++)
        {
            var manifest = _shards[i].Manifest;
            foreach (var file in manifest.Files.Where(f => f.Path.StartsWith("model/", StringComparison.Ordinal)))
            {
                var bytes = await _shardStore.GetAsync(RunIds.Prefix(manifest.RunId) + file.Path, cancellationToken).ConfigureAwait(false)
                    ?? throw new ShardMergeException($"{_shardStore.Describe(RunIds.Prefix(manifest.RunId) + file.Path)} disappeared during the merge.");
                await writer.PutAsync($"model/shard-{i}/{file.Path["model/".Length..]}", bytes, cancellationToken).ConfigureAwait(false);
            }
        }
        await writer.PutTextAsync(ShardsFileName, YamlText.Serialize(new Dictionary<string, object?>
        {
            ["batch"] = _batch,
            ["shard_runs_in"] = _shardStore.Describe("runs"),
            ["hash"] = "FNV-1a-64 of the UTF-8 unique_id, mod shards",
            ["shards"] = _shards.Select((s, i) => new Dictionary<string, object?>
            {
                ["index"] = i,
                ["run_id"] = s.Manifest.RunId,
                ["series"] = s.Forecasts.Series.Count,
            }).ToList(),
        }), cancellationToken).ConfigureAwait(false);
    }
}
