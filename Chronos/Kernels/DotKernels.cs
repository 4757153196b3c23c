using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// <c>y = x·Wᵀ</c> for a few rows of x straight from nn.Linear's layout (W is out × in, each output feature's weights
/// contiguous): every output is a dot product of two contiguous rows, 16 lanes at a time, summed across the lanes at
/// the end. Nothing is packed, so each weight is read once per call from memory — what a product of one to a few
/// dozen rows is bound by (Chronos-Bolt's decoder step, one series' encoder). <see cref="PackedWeight"/>'s panels win
/// from about 48 rows on, where packing is paid back. The loops run on 512-bit vectors where the CPU has them
/// (<see cref="DotKernels512"/>), else on 256-bit ones (<see cref="DotKernels256"/>, AVX2 + FMA), chosen once per call;
/// both give the same bits.
/// </summary>
internal static unsafe class DotKernels
{
    /// <summary>Whether 512-bit vectors run in hardware (else .NET would emulate them: the 256-bit loops run).</summary>
    private static readonly bool WideVectors = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// y[r, f] = Σₖ x[r, k]·w[f, k] for all <paramref name="rows"/> (rows of x, w and y contiguous: k, k and
    /// <paramref name="yStride"/> floats apart) and features <paramref name="firstFeature"/> … <paramref name="endFeature"/>−1,
    /// then <c>max(0, y + bias)</c> as asked: four features at a time, their weights (4·k floats) kept in the L1/L2 cache
    /// while every group of four rows passes.
    /// </summary>
    public static void Multiply(float* x, int rows, int k, float* w, int firstFeature, int endFeature, float* y, long yStride,
        float* bias, bool relu)
    {
        if (WideVectors)
            DotKernels512.Multiply(x, rows, k, w, firstFeature, endFeature, y, yStride, bias, relu);
        else
            DotKernels256.Multiply(x, rows, k, w, firstFeature, endFeature, y, yStride, bias, relu);
    }
}
