using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// <see cref="RowKernels"/> on 256-bit vectors, for CPUs with AVX2 + FMA and no AVX-512. Every 16-float block of
/// <see cref="RowKernels512"/> is two 8-float halves here; the RMS norm's 16 lane sums are a lower and an upper half
/// summed as Vector256.Sum(lower) + Vector256.Sum(upper) (how .NET defines Vector512.Sum), and the tails are the same
/// scalar code, so every result has the same bits as on an AVX-512 machine.
/// </summary>
internal static unsafe class RowKernels256
{
    /// <summary>As <see cref="RowKernels.RmsNorm"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(float* x, float* weight, float* y, int width, float eps, long firstRow, long endRow)
    {
        for (var row = firstRow; row < endRow; row++)
        {
            var source = x + row * width;
            var target = y + row * width;
            var lower = Vector256<float>.Zero;
            var upper = Vector256<float>.Zero;
            var j = 0;
            for (; j + 16 <= width; j += 16)
            {
                var v = Vector256.Load(source + j);
                lower = Vector256.FusedMultiplyAdd(v, v, lower);
                v = Vector256.Load(source + j + 8);
                upper = Vector256.FusedMultiplyAdd(v, v, upper);
            }
            var squares = Vector256.Sum(lower) + Vector256.Sum(upper);
            for (; j < width; j++)
                squares += source[j] * source[j];
            var scalar = 1f / MathF.Sqrt(squares / width + eps);
            var scale = Vector256.Create(scalar);
            j = 0;
            for (; j + 8 <= width; j += 8)
                (Vector256.Load(source + j) * scale * Vector256.Load(weight + j)).Store(target + j);
            for (; j < width; j++)
                target[j] = source[j] * scalar * weight[j];
        }
    }

    /// <summary>As <see cref="RowKernels.BiasRelu"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasRelu(float* values, int width, float* bias, bool relu)
    {
        // Blocks of 16 as two halves, the rest one at a time, as in RowKernels512 (a vector max and MathF.Max are
        // kept where they were, so a NaN or −0 meets the same function).
        var j = 0;
        for (; j + 16 <= width; j += 16)
            for (var half = j; half < j + 16; half += 8)
            {
                var v = Vector256.Load(values + half);
                if (bias is not null)
                    v += Vector256.Load(bias + half);
                if (relu)
                    v = Vector256.Max(v, Vector256<float>.Zero);
                v.Store(values + half);
            }
        for (; j < width; j++)
        {
            var v = values[j] + (bias is null ? 0f : bias[j]);
            values[j] = relu ? MathF.Max(v, 0f) : v;
        }
    }

    /// <summary>As <see cref="RowKernels.AddInPlace"/> (one addition per element: any block width gives the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInPlace(float* target, float* addend, long first, long end)
    {
        var i = first;
        for (; i + 8 <= end; i += 8)
            (Vector256.Load(target + i) + Vector256.Load(addend + i)).Store(target + i);
        for (; i < end; i++)
            target[i] += addend[i];
    }
}
