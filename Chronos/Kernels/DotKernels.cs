using System.Runtime.CompilerServices;
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
    /// then <c>max(0, y + bias)</c> as asked: four features at a time (<see cref="IDotBlocks.FourFeatures"/>), their
    /// weights kept in the caches while every row passes, the next four features' weights fetched meanwhile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(float* x, int rows, int k, float* w, int firstFeature, int endFeature, float* y, long yStride,
        float* bias, bool relu)
    {
        if (WideVectors)
            Multiply<DotKernels512>(x, rows, k, w, firstFeature, endFeature, y, yStride, bias, relu);
        else
            Multiply<DotKernels256>(x, rows, k, w, firstFeature, endFeature, y, yStride, bias, relu);
    }

    /// <summary>The tiling of <see cref="Multiply(float*, int, int, float*, int, int, float*, long, float*, bool)"/> with the block shapes of one vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TBlocks>(float* x, int rows, int k, float* w, int firstFeature, int endFeature, float* y, long yStride,
        float* bias, bool relu) where TBlocks : IDotBlocks
    {
        var feature = firstFeature;
        for (; feature + 4 <= endFeature; feature += 4)
        {
            // The next group's weights (4·k floats right after these) are fetched while this group is multiplied.
            var next = feature + 8 <= endFeature ? w + (long)(feature + 4) * k : null;
            TBlocks.FourFeatures(x, rows, k, w + (long)feature * k, y + feature, yStride, next);
        }
        for (; feature < endFeature; feature++)
            for (var row = 0; row < rows; row++)
                y[row * yStride + feature] = TBlocks.One(x + (long)row * k, w + (long)feature * k, k);
        if (bias is not null || relu)
            for (var row = 0; row < rows; row++)
                RowKernels.BiasRelu(y + row * yStride + firstFeature, endFeature - firstFeature,
                    bias is null ? null : bias + firstFeature, relu);
    }
}
