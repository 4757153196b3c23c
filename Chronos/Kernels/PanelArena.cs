using System.Runtime.InteropServices;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// Memory for packed weights that is kept from one generation call to the next (the contents are packed anew each
/// call; only the pages are reused). Freshly mapped pages cost a page fault per 4 KiB on first write: for the 92 MB of
/// T5-small's decoder weights that was ~50 ms of every one-series call, more than the packing itself.
/// </summary>
/// <remarks>
/// A bump allocator over chunks of at least <see cref="ChunkBytes"/>; <see cref="Reset"/> starts handing out the same
/// chunks again. Used by one generation call at a time (<see cref="TryAcquire"/>).
/// </remarks>
internal sealed unsafe class PanelArena : IDisposable
{
    public const long ChunkBytes = 16L << 20;
    private const int Alignment = 64;

    private readonly List<(nint Address, long Bytes)> chunks = [];
    private int chunk;
    private long used;
    private int busy;

    /// <summary>Bytes currently reserved from the operating system.</summary>
    public long ReservedBytes => chunks.Sum(c => c.Bytes);

    /// <summary>Takes the arena for one call (false if another call holds it); <see cref="Release"/> gives it back.</summary>
    public bool TryAcquire() => Interlocked.CompareExchange(ref busy, 1, 0) == 0;

    public void Release() => Volatile.Write(ref busy, 0);

    /// <summary>Hands out the chunks from the start again; earlier allocations must no longer be used.</summary>
    public void Reset() => (chunk, used) = (0, 0);

    /// <summary>A 64-byte aligned block of <paramref name="count"/> floats, valid until <see cref="Reset"/> or <see cref="Dispose"/>.</summary>
    public float* Allocate(long count)
    {
        var bytes = (count * sizeof(float) + Alignment - 1) / Alignment * Alignment;
        while (chunk < chunks.Count && used + bytes > chunks[chunk].Bytes)
            (chunk, used) = (chunk + 1, 0);
        if (chunk == chunks.Count)
        {
            var size = Math.Max(ChunkBytes, bytes);
            chunks.Add(((nint)NativeMemory.AlignedAlloc((nuint)size, Alignment), size));
            used = 0;
        }
        var block = (float*)(chunks[chunk].Address + (nint)used);
        used += bytes;
        return block;
    }

    public void Dispose()
    {
        foreach (var (address, _) in chunks)
            NativeMemory.AlignedFree((void*)address);
        chunks.Clear();
        Reset();
    }
}
