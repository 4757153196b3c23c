using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Kernels;

/// <summary>Row-wise float32 kernels of <see cref="T5.Float32InferenceSession"/> (AVX-512, rows split over threads by the caller).</summary>
internal static unsafe class RowKernels
{
    /// <summary>
    /// T5's RMS norm of rows <paramref name="firstRow"/> … <paramref name="endRow"/>−1 (modeling_t5.py: T5LayerNorm):
    /// <c>y = (x · 1/√(mean(x²) + eps)) · weight</c> in float32, in the reference's order of the two products, in one
    /// pass instead of libtorch's five element-wise operations and their two activation-sized temporaries.
    /// </summary>
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

    /// <summary>values[j] = max(0, values[j] + bias[j]) (either part optional) for j &lt; width.</summary>
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

    /// <summary>target[i] += addend[i] for first ≤ i &lt; end.</summary>
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
