using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// Row-wise float32 kernels of <see cref="T5.Float32InferenceSession"/> (rows split over threads by the caller): on
/// 512-bit vectors where the CPU has them (<see cref="RowKernels512"/>), else on 256-bit ones (<see cref="RowKernels256"/>,
/// AVX2 + FMA), chosen once per call; both give the same bits.
/// </summary>
internal static unsafe class RowKernels
{
    /// <summary>Whether 512-bit vectors run in hardware (else .NET would emulate them: the 256-bit loops run).</summary>
    private static readonly bool WideVectors = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// T5's RMS norm of rows <paramref name="firstRow"/> … <paramref name="endRow"/>−1 (modeling_t5.py: T5LayerNorm):
    /// <c>y = (x · 1/√(mean(x²) + eps)) · weight</c> in float32, in the reference's order of the two products, in one
    /// pass instead of libtorch's five element-wise operations and their two activation-sized temporaries.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(float* x, float* weight, float* y, int width, float eps, long firstRow, long endRow)
    {
        if (WideVectors)
            RowKernels512.RmsNorm(x, weight, y, width, eps, firstRow, endRow);
        else
            RowKernels256.RmsNorm(x, weight, y, width, eps, firstRow, endRow);
    }

    /// <summary>values[j] = max(0, values[j] + bias[j]) (either part optional) for j &lt; width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasRelu(float* values, int width, float* bias, bool relu)
    {
        if (WideVectors)
            RowKernels512.BiasRelu(values, width, bias, relu);
        else
            RowKernels256.BiasRelu(values, width, bias, relu);
    }

    /// <summary>target[i] += addend[i] for first ≤ i &lt; end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInPlace(float* target, float* addend, long first, long end)
    {
        if (WideVectors)
            RowKernels512.AddInPlace(target, addend, first, end);
        else
            RowKernels256.AddInPlace(target, addend, first, end);
    }
}
