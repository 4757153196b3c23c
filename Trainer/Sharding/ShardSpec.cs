using System.Globalization;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (<c>--shard i/N</c>, 0 ≤ i &lt; N, 0-based like a Step Functions
/// Map index or AWS_BATCH_JOB_ARRAY_INDEX). A series belongs to shard FNV-1a-64(UTF-8 unique_id) mod N, so every
/// process computes the same partition without talking to the others.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>More shards than this is a typo, not a plan (each shard is a task with its own start-up cost).</summary>
    public const int MaxCount = 10_000;

    public bool Owns(string uniqueId) => Of(uniqueId, Count) == Index;

    /// <summary>The shard of <paramref name="uniqueId"/> among <paramref name="count"/>.</summary>
    public static int Of(string uniqueId, int count) => (int)(StableHash.Fnv1a64(uniqueId) % (ulong)count);

    /// <summary>The run id of this shard in batch <paramref name="batch"/>: fixed, so the merge can find it.</summary>
    public string RunId(string batch) => $"{batch}-shard-{Index}-of-{Count}";

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>Parses "i/N"; anything else is a <see cref="ConfigException"/> naming <c>--shard</c> and the fix.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new ConfigException("command line", "--shard", $"'{text}' is not of the form i/N (e.g. --shard 0/4 for the first of four shards).");
        if (count < 1 || count > MaxCount)
            throw new ConfigException("command line", "--shard", $"'{text}': the shard count N must be between 1 and {MaxCount}.");
        if (index >= count)
            throw new ConfigException("command line", "--shard", $"'{text}': the shard index i must be between 0 and N-1 = {count - 1} (shards are numbered from 0).");
        return new ShardSpec(index, count);
    }

    /// <summary>
    /// A batch id names the shard runs of one sharded job (e.g. the Step Functions execution name); it becomes part
    /// of run ids and object keys, so it is restricted to what is safe in both.
    /// </summary>
    public static string ValidateBatch(string? batch, string option)
    {
        if (string.IsNullOrWhiteSpace(batch))
            throw new ConfigException("command line", "--batch", $"{option} needs --batch <id> naming the sharded job (letters, digits, '-', '_'; e.g. --batch 20261127-nightly) so that the shards and the merge find each other.");
        if (batch.Length > 80 || !batch.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ConfigException("command line", "--batch", $"'{batch}' may hold only ASCII letters, digits, '-' and '_' (at most 80).");
        return batch;
    }
}
