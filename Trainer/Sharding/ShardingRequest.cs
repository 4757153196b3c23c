using Forecast.Core.Artifacts;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// What the command line asked for: a plain run, one shard (<c>--shard i/N --batch B</c>) or a merge
/// (<c>merge --batch B --shards N</c>); <see cref="PlanAsync"/> turns it into the config, store and variant the
/// pipeline runs with.
/// </summary>
public sealed record ShardingRequest(string? Shard, string? Batch, int? MergeShards, int? Partitions = null)
{
    public static readonly ShardingRequest None = new(null, null, null);

    /// <summary>Set by the Step Functions job on each shard task (container environment overrides, docs/deploy.md).</summary>
    public const string ShardVariable = "FORECAST_SHARD";

    /// <summary>Set by the Step Functions job on shard and merge tasks: the execution's name.</summary>
    public const string BatchVariable = "FORECAST_BATCH";

    /// <summary>
    /// The options, with <see cref="ShardVariable"/> and <see cref="BatchVariable"/> filling in what the command line
    /// leaves out (a task definition's command stays the same for every shard; only its environment is overridden).
    /// A stray FORECAST_BATCH on a plain run is ignored.
    /// </summary>
    public static ShardingRequest FromCommandLine(string? shard, string? batch, int? mergeShards, Func<string, string?> environment, int? partitions = null)
    {
        if (partitions is null) shard ??= NullIfEmpty(environment(ShardVariable));
        if (shard is not null || mergeShards is not null || partitions is not null) batch ??= NullIfEmpty(environment(BatchVariable));
        return new ShardingRequest(shard, batch, mergeShards, partitions);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The merge's batch and shard count, when this is a merge.</summary>
    public (string Batch, int Shards)? Merge =>
        MergeShards is int count ? (ShardSpec.ValidateBatch(Batch, "merge"), count) : null;

    /// <summary>The partition step's batch and number of parts, when this is the partition step.</summary>
    public (string Batch, int Parts)? Partition =>
        Partitions is int parts ? (ShardSpec.ValidateBatch(Batch, "partition"), parts) : null;

    /// <summary>The store and variant a plain run or a shard runs the pipeline with (a merge has its own path: <see cref="MergeRun"/>).</summary>
    public async Task<(IArtifactStore Store, RunVariant? Variant)> PlanAsync(
        TrainerConfig config, StorageLocations locations, CancellationToken cancellationToken)
    {
        if (Shard is not null)
        {
            var spec = ShardSpec.Parse(Shard);
            string batch = ShardSpec.ValidateBatch(Batch, "--shard");
            var store = locations.OpenArtifactStore(ShardRun.StoreLocation(config.Run.Output));
            string runId = spec.RunId(batch);
            if (await RunCatalog.GetAsync(store, runId, cancellationToken) is not null)
                throw new ConfigException("command line", "--batch",
                    $"shard {spec} of batch '{batch}' is already committed ({ShardRun.Location(store, runId)}); each shard of a batch runs once: merge it, or start a new batch with another --batch.");
            return (store, new ShardRun(spec, batch, config, store));
        }
        if (Batch is not null)
            throw new ConfigException("command line", "--batch", "--batch only applies with --shard i/N or the merge command; remove it or add --shard.");
        return (locations.OpenArtifactStore(config.Run.Output), null);
    }
}
