using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// <see cref="RowKernels"/> on 512-bit vectors (AVX-512). The RMS norm's sum of squares keeps 16 lane sums of FMAs
/// (lane l: the squares at l, l + 16, …), summed across by Vector512.Sum, then adds the tail's squares one at a time;
/// <see cref="RowKernels256"/> repeats exactly this order.
/// </summary>
internal static unsafe class RowKernels512
{
    /// <summary>As <see cref="RowKernels.RmsNorm"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(float* x, float* weight, float* y, int width, float eps, long firstRow, long endRow)
    {
        for (var row = firstRow; row < endRow; row++)
        {
            var source = x + row * width;
            var target = y + row * width;
            var sum = Vector512<float>.Zero;
            var j = 0;
            for (; j + 16 <= width; j += 16)
            {
                var v = Vector512.Load(source + j);
                sum = Vector512.FusedMultiplyAdd(v, v, sum);
            }
            var squares = Vector512.Sum(sum);
            for (; j < width; j++)
                squares += source[j] * source[j];
            var scale = Vector512.Create(1f / MathF.Sqrt(squares / width + eps));
            j = 0;
            for (; j + 16 <= width; j += 16)
                (Vector512.Load(source + j) * scale * Vector512.Load(weight + j)).Store(target + j);
            for (; j < width; j++)
                target[j] = source[j] * scale[0] * weight[j];
        }
    }

    /// <summary>As <see cref="RowKernels.BiasRelu"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasRelu(float* values, int width, float* bias, bool relu)
    {
        var j = 0;
        for (; j + 16 <= width; j += 16)
        {
            var v = Vector512.Load(values + j);
            if (bias is not null)
                v += Vector512.Load(bias + j);
            if (relu)
                v = Vector512.Max(v, Vector512<float>.Zero);
            v.Store(values + j);
        }
        for (; j < width; j++)
        {
            var v = values[j] + (bias is null ? 0f : bias[j]);
            values[j] = relu ? MathF.Max(v, 0f) : v;
        }
    }

    /// <summary>As <see cref="RowKernels.AddInPlace"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInPlace(float* target, float* addend, long first, long end)
    {
        var i = first;
        for (; i + 16 <= end; i += 16)
            (Vector512.Load(target + i) + Vector512.Load(addend + i)).Store(target + i);
        for (; i < end; i++)
            target[i] += addend[i];
    }
}
