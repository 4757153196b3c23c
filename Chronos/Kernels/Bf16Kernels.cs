using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// bfloat16 linear products on the CPU's AVX512_BF16 units (vdpbf16ps: pairs of bfloat16 products added to float32
/// accumulators, twice the multiply-adds per instruction of a float32 FMA), in a small native library that
/// Forecast.Chronos' own build compiles with g++ (<c>Native/bf16_linear.cpp</c>, <c>build/Forecast.Chronos.Native.targets</c>)
/// because .NET has no intrinsic for that instruction. The arithmetic is torch.autocast's on CPU: float32 inputs
/// rounded to bfloat16, bfloat16 weights, exact products summed in float32.
/// </summary>
/// <remarks>
/// Where the library was not built (no g++), does not load, or the CPU lacks AVX512_BF16, <see cref="IsSupported"/> is
/// false: bfloat16 weights are then widened to float32 for the float32 kernels (<see cref="WidensWeights"/>), or stay in
/// libtorch (oneDNN) on a CPU whose bfloat16 arithmetic only oneDNN can reach. Measured on Chronos-Bolt's shapes (528 rows, one thread,
/// weights packed per 32-feature panel as they are used): 191–212 GFLOP/s against 95–104 for the same loop in float32
/// FMAs. A product's panels go to whichever thread is free (a shared counter), as the float32 kernels' panels do.
/// </remarks>
internal static unsafe class Bf16Kernels
{
    /// <summary>File name of the native library in the application's folder.</summary>
    public const string LibraryFile = "libForecastChronosBf16.so";

    /// <summary>Output features per panel (a panel range is the unit of work a thread takes).</summary>
    public const int PanelWidth = 32;

    private static readonly delegate* unmanaged<float*, long, ushort*, long, long, float*, float*, int, long, long, int*, void> LinearEntry = Load();

    /// <summary>True when the native library loaded and the CPU has AVX512F and AVX512_BF16.</summary>
    public static bool IsSupported => LinearEntry != null;

    /// <summary>
    /// True where the kernels take bfloat16 weights by widening them to float32 as they pack them: neither these native
    /// kernels nor bfloat16 arithmetic in hardware (AVX512_BF16, CPUID leaf 7 subleaf 1 EAX bit 5; AMX-BF16, leaf 7
    /// EDX bit 22) — an AVX2 CPU, where libtorch's own bfloat16 products made a one-series Chronos-2 call 6.5 times
    /// slower than float32. A CPU with such hardware but without this library keeps libtorch's (oneDNN's) products.
    /// </summary>
    public static bool WidensWeights { get; } = !IsSupported && !Bfloat16InHardware();

    private static bool Bfloat16InHardware()
    {
        if (!X86Base.IsSupported || X86Base.CpuId(0, 0).Eax < 7)
            return false;
        var (leaf7Eax, _, _, leaf7Edx) = X86Base.CpuId(7, 0);
        var avx512Bf16 = leaf7Eax >= 1 && (X86Base.CpuId(7, 1).Eax & (1 << 5)) != 0;
        var amxBf16 = (leaf7Edx & (1 << 22)) != 0;
        return avx512Bf16 || amxBf16;
    }

    /// <summary>
    /// <c>y = x·wᵀ (+ bias)</c>, then relu when asked, for output panels <paramref name="firstPanel"/> …
    /// <paramref name="endPanel"/>−1 (32 features each): x float32 (rows × inFeatures), w bfloat16 (outFeatures ×
    /// inFeatures), y float32 (rows × outFeatures), all contiguous; bias float32 (outFeatures) or null. Threads may
    /// call it at once for disjoint panel ranges of one product, or for the same range with one shared
    /// <paramref name="nextPanel"/> counter (starting at 0), from which each takes the range's panels one at a time as
    /// it comes free; a panel's outputs are the same whichever thread computes them.
    /// </summary>
    public static void Linear(float* x, long rows, ushort* w, long outFeatures, long inFeatures, float* y, float* bias,
        bool relu, long firstPanel, long endPanel, int* nextPanel = null)
    {
        if (LinearEntry == null)
            throw new NotSupportedException($"The bfloat16 kernels are not available ({LibraryFile} not built or not loadable, or no AVX512_BF16).");
        LinearEntry(x, rows, w, outFeatures, inFeatures, y, bias, relu ? 1 : 0, firstPanel, endPanel, nextPanel);
    }

    private static delegate* unmanaged<float*, long, ushort*, long, long, float*, float*, int, long, long, int*, void> Load()
    {
        if (!OperatingSystem.IsLinux() || !Avx512F.IsSupported)
            return null;
        var path = Path.Combine(AppContext.BaseDirectory, LibraryFile);
        if (!File.Exists(path) || !NativeLibrary.TryLoad(path, out var library))
            return null;
        if (!NativeLibrary.TryGetExport(library, "chronos_bf16_supported", out var supported)
            || !NativeLibrary.TryGetExport(library, "chronos_bf16_linear", out var linear)
            || ((delegate* unmanaged<int>)supported)() != 1)
            return null;
        return (delegate* unmanaged<float*, long, ushort*, long, long, float*, float*, int, long, long, int*, void>)linear;
    }
}
