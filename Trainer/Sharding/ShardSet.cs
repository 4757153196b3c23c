using System.Security.Cryptography;
using System.Text;
using Forecast.Core.Artifacts;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Sharding;

/// <summary>One committed shard run of a batch: its manifest and summary.</summary>
internal sealed record LoadedShard(ShardSpec Spec, RunManifest Manifest, ShardSummary Summary)
{
    public string Prefix => RunIds.Prefix(Manifest.RunId);

    public bool HasSeries => Summary.SeriesOut > 0;

    public ManifestEntry? Entry(string path) => Manifest.Files.FirstOrDefault(f => f.Path == path);
}

/// <summary>
/// The N shard runs of a batch, checked before anything is merged: each committed and whole (every file of its
/// manifest present with its size), of this batch and index, run with the merge's config on the same data, and
/// written by a Trainer whose shard files this one reads. Any failure is a <see cref="ShardMergeException"/> that
/// names the shard and what to rerun; nothing is written until all pass.
/// </summary>
internal sealed class ShardSet
{
    private ShardSet(IArtifactStore store, string batch, IReadOnlyList<LoadedShard> shards)
    {
        Store = store;
        Batch = batch;
        Shards = shards;
    }

    public IArtifactStore Store { get; }

    public string Batch { get; }

    public IReadOnlyList<LoadedShard> Shards { get; }

    public static async Task<ShardSet> LoadAsync(IArtifactStore store, string batch, int count, TrainerConfig config, CancellationToken cancellationToken)
    {
        if (count < 1 || count > ShardSpec.MaxCount)
            throw new ConfigException("command line", "--shards", $"{count}: the shard count must be between 1 and {ShardSpec.MaxCount}, as given to --shard i/N.");
        string configSha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FlagsFile.ConfigText(config))));
        var shards = new List<LoadedShard>(count);
        var set = new ShardSet(store, batch, shards);
        for (int i = 0; i < count; i++)
        {
            var spec = new ShardSpec(i, count);
            string runId = spec.RunId(batch);
            string where = ShardRun.Location(store, runId);
            var manifest = await RunCatalog.GetAsync(store, runId, cancellationToken).ConfigureAwait(false)
                ?? throw new ShardMergeException($"Shard {spec} of batch '{batch}' is not committed ({where} has no manifest.json): run the Trainer with --shard {spec} --batch {batch} first, then merge.");
            var partial = new LoadedShard(spec, manifest, new ShardSummary());
            await CheckSizesAsync(set, partial, cancellationToken).ConfigureAwait(false);
            if (partial.Entry(ShardSummary.FileName) is null || partial.Entry(ShardSeriesFile.FileName) is null)
                throw new ShardMergeException($"Shard {spec} run {where} has no {ShardSummary.FileName}: it was not written by --shard of this Trainer; rerun --shard {spec}.");
            var summary = ShardSummary.Parse(await set.ReadVerifiedAsync(partial, ShardSummary.FileName, cancellationToken).ConfigureAwait(false), store.Describe(partial.Prefix + ShardSummary.FileName));
            if (summary.Batch != batch || summary.Shard != i || summary.Shards != count)
                throw new ShardMergeException($"{where} holds shard {summary.Shard}/{summary.Shards} of batch '{summary.Batch}', not {spec} of '{batch}'.");
            if (partial.Entry(FlagsFile.ConfigFileName)?.Sha256 != configSha)
                throw new ShardMergeException($"Shard {spec} of batch '{batch}' ran with another config than the merge's ({where}config.yaml, the effective config with feature flags applied, differs): merge with the config, --set options and flags the shards ran with, or rerun the shards.");
            shards.Add(partial with { Summary = summary });
        }
        set.CheckConsistent(config);
        return set;
    }

    /// <summary>Every file of the manifest is there with its size (the SHA-256 is checked when the file is read).</summary>
    private static async Task CheckSizesAsync(ShardSet set, LoadedShard shard, CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var info in set.Store.ListAsync(shard.Prefix, cancellationToken).ConfigureAwait(false))
            sizes[info.Key[shard.Prefix.Length..]] = info.Size;
        foreach (var file in shard.Manifest.Files)
            if (!sizes.TryGetValue(file.Path, out long size) || size != file.Size) throw set.Damaged(shard, file.Path);
    }

    /// <summary>The shards agree with each other and with the merge's own config: same data, model, windows, EDA and plots.</summary>
    private void CheckConsistent(TrainerConfig config)
    {
        var first = Shards[0].Summary;
        foreach (var shard in Shards)
        {
            var s = shard.Summary;
            string who = $"Shard {shard.Spec} of batch '{Batch}'";
            if (s.Data != first.Data || s.Partitions?.ManifestSha256 != first.Partitions?.ManifestSha256)
                throw new ShardMergeException($"{who} read other data than shard 0 (sha256 {s.Data.Sha256[..Math.Min(12, s.Data.Sha256.Length)]}… against {first.Data.Sha256[..Math.Min(12, first.Data.Sha256.Length)]}…): the data changed while the shards ran; rerun the shards.");
            if (s.EdaEnabled != config.Eda.Enabled || s.PlotsEnabled != config.Plots.Enabled)
                throw new ShardMergeException($"{who} ran with EDA {(s.EdaEnabled ? "on" : "off")} and plots {(s.PlotsEnabled ? "on" : "off")}, the merge with EDA {(config.Eda.Enabled ? "on" : "off")} and plots {(config.Plots.Enabled ? "on" : "off")}: give the merge the feature flags the shards had.");
        }
        var withSeries = Shards.Where(s => s.HasSeries).ToList();
        var models = withSeries.Select(s => s.Summary.Model).Distinct(StringComparer.Ordinal).ToList();
        if (models.Count > 1)
            throw new ShardMergeException($"The shards of batch '{Batch}' ran different models ({string.Join(", ", models)}); rerun them with one config.");
        if (withSeries.Any(s => s.Summary.Windows != config.Evaluation.EffectiveWindows))
            throw new ShardMergeException($"The shards of batch '{Batch}' evaluated another number of windows than evaluation.windows = {config.Evaluation.EffectiveWindows}; rerun them with the merge's config.");
    }

    public ShardMergeException Damaged(LoadedShard shard, string path) =>
        new($"Shard {shard.Spec} run {ShardRun.Location(Store, shard.Manifest.RunId)} is damaged ({path} missing or not matching manifest.json); delete it and rerun --shard {shard.Spec} --batch {Batch}.");

    /// <summary>A small file of a shard, checked against its manifest.</summary>
    public async Task<byte[]> ReadVerifiedAsync(LoadedShard shard, string path, CancellationToken cancellationToken)
    {
        var entry = shard.Entry(path) ?? throw Damaged(shard, path);
        var bytes = await Store.GetAsync(shard.Prefix + path, cancellationToken).ConfigureAwait(false);
        if (bytes is null || bytes.Length != entry.Size || Convert.ToHexStringLower(SHA256.HashData(bytes)) != entry.Sha256) throw Damaged(shard, path);
        return bytes;
    }
}
