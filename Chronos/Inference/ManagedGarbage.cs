namespace Forecast.Chronos.Inference;

/// <summary>
/// Keeps the managed garbage of inference calls small. Every libtorch result comes with a small managed wrapper; disposing
/// it frees the native tensor, but the wrapper object stays until a gen-0 collection, and the GC's gen-0 budget here is
/// ~16 MiB: a 256-series Bolt call leaves ~4 MiB of wrappers, so until the GC ran, resident memory grew by up to 16 MiB —
/// what separated float32 Bolt-small from its 400 MiB target. A gen-0 collection of wrappers that are all garbage takes
/// well under a millisecond.
/// </summary>
internal static class ManagedGarbage
{
    private const long Budget = 1L << 20;
    private static long mark;

    /// <summary>Collects generation 0 once 1 MiB has been allocated since the last time this collected.</summary>
    public static void CollectIfDue()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (allocated - Volatile.Read(ref mark) < Budget)
            return;
        Volatile.Write(ref mark, allocated);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }
}
