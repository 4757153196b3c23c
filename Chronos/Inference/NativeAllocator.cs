using System.Runtime.InteropServices;

namespace Forecast.Chronos.Inference;

/// <summary>
/// glibc malloc settings for libtorch's activation buffers, applied once per process when a call asks for them
/// (<see cref="ChronosInferenceOptions.TuneNativeAllocator"/>). glibc raises its mmap threshold after large blocks are
/// freed (up to 32 MiB), after which per-batch buffers come from the heap, fragment it and are never returned: RSS then
/// grows batch after batch although every tensor is disposed. A fixed 256 KiB threshold (which also disables that
/// adjustment) keeps large buffers in their own mappings, returned on free, so memory stays flat; one arena keeps
/// libtorch's worker threads from growing heaps of their own (peak RSS of Bolt-small at 256 series, 2 threads:
/// 413 → 384 MiB).
/// </summary>
internal static class NativeAllocator
{
    /// <summary>The fixed mmap threshold (restored by <see cref="FreedBufferReuse"/> after its scopes).</summary>
    public const int MapThresholdBytes = 256 << 10;

    private const int M_MMAP_THRESHOLD = -3, M_ARENA_MAX = -8;
    private static readonly Lock Gate = new();
    private static bool attempted;

    /// <summary>True once the settings are in force (glibc); <see cref="FreedBufferReuse"/> works only then.</summary>
    public static bool IsTuned { get; private set; }

    /// <summary>Applies the settings (idempotent; nothing on other C libraries).</summary>
    public static void Tune()
    {
        if (attempted)
            return;
        lock (Gate)
        {
            if (attempted || !OperatingSystem.IsLinux())
            {
                attempted = true;
                return;
            }
            try
            {
                mallopt(M_MMAP_THRESHOLD, MapThresholdBytes);
                mallopt(M_ARENA_MAX, 1);
                IsTuned = true;
            }
            catch (EntryPointNotFoundException)
            {
                // Not glibc (e.g. musl): nothing to tune.
            }
            attempted = true;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
