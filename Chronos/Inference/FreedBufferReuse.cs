using System.Runtime.InteropServices;

namespace Forecast.Chronos.Inference;

/// <summary>
/// Lets glibc keep freed activation buffers for reuse while a scope is open. With the tuned allocator (see
/// <see cref="NativeAllocator"/>) every block above 256 KiB is its own mapping, returned to the system when freed, so the
/// next layer's buffers are faulted in again page by page: in the bfloat16 Bolt path those page faults took a quarter
/// of the CPU time. Inside a scope blocks below 8 MiB come from the heap and are reused; the caller returns the free
/// pages with <see cref="ReturnFreePages"/> between chunks, so memory does not grow from chunk to chunk (without that,
/// fragmentation took Bolt-small to 1 GiB).
/// </summary>
/// <remarks>
/// Used by Chronos-Bolt (both precisions, returned after every chunk), by Chronos-T5 generation (64 steps of
/// identical buffer sizes: 20% of T5-small at 16 series) and by Chronos-2 (returned after every chunk), only when the
/// call's options tune the allocator; the batch backends of such calls write the feed-forward's inner activations into
/// one buffer kept for the call (<see cref="KernelBackend.ForBatch"/>). Within a scope glibc serves requests from
/// larger free blocks by splitting them, so a call's allocations walk through the heap's free space and every page they
/// touch stays resident until the pages are returned: the transient is the heap touched, not only the buffers live at
/// once. The settings are process-wide: scopes are reference-counted, and a call running alongside also reuses buffers while one is open.
/// The price is peak memory (~110 MiB for T5-small at 16 × 20 rows).
/// </remarks>
internal static class FreedBufferReuse
{
    private const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;
    /// <summary>Inside a scope, blocks up to this size come from the heap (larger ones are mappings of their own).</summary>
    internal const int HeapBlockLimit = 8 << 20;
    private const int DefaultTrimThreshold = 128 << 10;     // glibc's default

    private static readonly Lock Gate = new();
    private static int open;

    /// <summary>Opens a scope (a no-op when the process's malloc settings are left alone or malloc is not glibc).</summary>
    public static IDisposable Begin()
    {
        if (!NativeAllocator.IsTuned)
            return NoScope.Instance;
        lock (Gate)
        {
            if (open++ == 0)
            {
                // The heap's top is kept too (trimmed by ReturnFreePages instead of on every free).
                mallopt(M_MMAP_THRESHOLD, HeapBlockLimit);
                mallopt(M_TRIM_THRESHOLD, int.MaxValue);
            }
        }
        return new Scope();
    }

    /// <summary>Gives the heap's free pages back to the system (malloc_trim), e.g. after each chunk of a batch.</summary>
    public static void ReturnFreePages()
    {
        if (NativeAllocator.IsTuned)
            malloc_trim(0);
    }

    private static void End()
    {
        lock (Gate)
        {
            if (--open == 0)
            {
                mallopt(M_MMAP_THRESHOLD, NativeAllocator.MapThresholdBytes);
                mallopt(M_TRIM_THRESHOLD, DefaultTrimThreshold);
            }
        }
        ReturnFreePages();
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    private sealed class Scope : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
                End();
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
