namespace Forecast.Trainer.Sharding;

/// <summary>
/// The shard runs of a batch cannot be merged (one is missing, damaged, from another batch, or no longer matches the
/// data and config); the message names the shard, its run and what to rerun. Exit code 3, like a data error.
/// </summary>
public sealed class ShardMergeException(string message, Exception? inner = null) : Exception(message, inner);
