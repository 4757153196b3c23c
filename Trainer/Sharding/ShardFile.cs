using Forecast.Core.Artifacts;
using Forecast.Core.Data;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// A file of a shard run read front to back (buffered) while its SHA-256 is computed, and checked against the shard's
/// manifest once read to the end, so the merge verifies each shard file in the same pass that copies it.
/// </summary>
internal sealed class ShardFile : IDisposable
{
    private readonly HashingReadStream _hashing;
    private readonly ManifestEntry _entry;
    private readonly Func<ShardMergeException> _damaged;

    private ShardFile(Stream inner, ManifestEntry entry, Func<ShardMergeException> damaged, int bufferSize)
    {
        _hashing = new HashingReadStream(inner);
        _entry = entry;
        _damaged = damaged;
        Stream = new BufferedStream(_hashing, bufferSize);
    }

    public Stream Stream { get; }

    public static async Task<ShardFile> OpenAsync(ShardSet set, LoadedShard shard, string path, int bufferSize, CancellationToken cancellationToken)
    {
        var entry = shard.Entry(path) ?? throw set.Damaged(shard, path);
        var stream = await set.Store.OpenReadAsync(shard.Prefix + path, cancellationToken).ConfigureAwait(false) ?? throw set.Damaged(shard, path);
        return new ShardFile(stream, entry, () => set.Damaged(shard, path), bufferSize);
    }

    /// <summary>Skips <paramref name="count"/> bytes (a shard file's own head).</summary>
    public void Skip(int count)
    {
        var buffer = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            int n = Stream.Read(buffer, 0, Math.Min(count, buffer.Length));
            if (n == 0) throw _damaged();
            count -= n;
        }
    }

    /// <summary>Reads exactly <paramref name="block"/>.Length bytes; a file that ends first is damaged.</summary>
    public void Read(Span<byte> block)
    {
        try
        {
            Stream.ReadExactly(block);
        }
        catch (EndOfStreamException)
        {
            throw _damaged();
        }
    }

    /// <summary>Reads what is left and checks size and SHA-256 against the manifest.</summary>
    public void Verify()
    {
        Stream.CopyTo(System.IO.Stream.Null);
        if (_hashing.BytesRead != _entry.Size || _hashing.Sha256() != _entry.Sha256) throw _damaged();
    }

    public void Dispose() => Stream.Dispose();
}
