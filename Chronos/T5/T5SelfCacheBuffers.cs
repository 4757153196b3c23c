using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// The self-attention key and value buffers of a decoder's blocks for up to <see cref="Rows"/> decoder rows and
/// <see cref="Steps"/> positions, shared by the groups of series one generation call decodes one after another
/// (ChronosT5Pipeline.GenerateTokens): each group's cache writes into views of them instead of fresh tensors. A
/// buffer is as large as malloc maps on its own (15.7 MiB per block and kind at 120 rows × 64 steps of T5-small) and
/// returns to the system when freed, so a fresh cache per group faulted its pages in again, one 4 KiB page at a time
/// on the calling thread while the helper thread waited (≈ 48 000 faults per group of T5-small). A group reads only the
/// positions it has written, so what an earlier group left in them is never seen.
/// </summary>
internal sealed class T5SelfCacheBuffers(long rows) : IDisposable
{
    private readonly List<(Tensor Keys, Tensor Values)> blocks = [];

    /// <summary>Decoder rows the buffers hold (the largest group's).</summary>
    public long Rows { get; } = rows;

    /// <summary>
    /// Views of block <paramref name="block"/>'s buffers shaped <paramref name="shape"/> (rows ≤ <see cref="Rows"/>,
    /// heads, steps, head size), allocated at the block's first use; the caller disposes the views.
    /// </summary>
    public (Tensor Keys, Tensor Values) For(int block, long[] shape, ScalarType dtype, Device device)
    {
        if (block == blocks.Count)
        {
            long[] whole = [Rows, .. shape[1..]];
            blocks.Add((empty(whole, dtype: dtype, device: device).DetachFromDisposeScope(),
                empty(whole, dtype: dtype, device: device).DetachFromDisposeScope()));
        }
        var (keys, values) = blocks[block];
        if (shape[0] > Rows || !keys.shape.AsSpan(1).SequenceEqual(shape.AsSpan(1)) || keys.dtype != dtype)
            throw new ArgumentException($"Block {block}'s cache buffers are ({string.Join(", ", keys.shape)}) {keys.dtype}, "
                + $"not room for ({string.Join(", ", shape)}) {dtype}.", nameof(shape));
        return (keys.narrow(0, 0, shape[0]).DetachFromDisposeScope(), values.narrow(0, 0, shape[0]).DetachFromDisposeScope());
    }

    public void Dispose()
    {
        foreach (var (keys, values) in blocks)
        {
            keys.Dispose();
            values.Dispose();
        }
    }
}
