using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// <see cref="AttentionKernels"/>' one-query loops, softmax and bias on 256-bit vectors, for CPUs with AVX2 + FMA and
/// no AVX-512 (where .NET would emulate <see cref="AttentionKernels512"/>'s 512-bit vectors in software). Every 16-float
/// block of <see cref="AttentionKernels512"/> is taken here as two 8-float halves, so each lane sees the same operations
/// in the same order, and a sum across 16 lanes is Vector256.Sum(lower half) + Vector256.Sum(upper half) — how .NET
/// defines Vector512.Sum in hardware and software alike. The tails beyond the last whole 16 floats are the same scalar
/// code. Results therefore have the same bits as on an AVX-512 machine.
/// </summary>
internal static unsafe class AttentionKernels256
{
    /// <summary>As <see cref="AttentionKernels.OneQuery"/>.</summary>
    public static void OneQuery(float* query, float* keys, long keyStride, float* values, long valueStride,
        float* bias, long biasStride, int length, int size, float* context, float* scores)
    {
        for (var j = 0; j < length; j++)
            scores[j] = Dot(query, keys + j * keyStride, size);
        if (bias is not null)
            AddBias(scores, bias, biasStride, length);
        Softmax(scores, length);
        var i = 0;
        // Per output one chain of FMAs over the keys in order, as in the 512-bit loop.
        for (; i + 16 <= size; i += 16)
        {
            var lower = Vector256<float>.Zero;
            var upper = Vector256<float>.Zero;
            for (var j = 0; j < length; j++)
            {
                var weight = Vector256.Create(scores[j]);
                var row = values + j * valueStride + i;
                lower = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row), lower);
                upper = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row + 8), upper);
            }
            lower.Store(context + i);
            upper.Store(context + i + 8);
        }
        for (; i < size; i++)
        {
            var sum = 0f;
            for (var j = 0; j < length; j++)
                sum = MathF.FusedMultiplyAdd(scores[j], values[j * valueStride + i], sum);
            context[i] = sum;
        }
    }

    /// <summary>As <see cref="AttentionKernels.Softmax"/>.</summary>
    public static void Softmax(float* values, int count)
    {
        const int width = 16;
        var j = 0;
        var lowerMaxima = Vector256.Create(float.NegativeInfinity);
        var upperMaxima = lowerMaxima;
        for (; j + width <= count; j += width)
        {
            lowerMaxima = Vector256.Max(lowerMaxima, Vector256.Load(values + j));
            upperMaxima = Vector256.Max(upperMaxima, Vector256.Load(values + j + 8));
        }
        var max = float.NegativeInfinity;
        for (var lane = 0; lane < 8; lane++)
            max = MathF.Max(max, lowerMaxima[lane]);
        for (var lane = 0; lane < 8; lane++)
            max = MathF.Max(max, upperMaxima[lane]);
        for (; j < count; j++)
            max = MathF.Max(max, values[j]);
        var shift = Vector256.Create(max);
        var lowerTotals = Vector256<float>.Zero;
        var upperTotals = Vector256<float>.Zero;
        j = 0;
        for (; j + width <= count; j += width)
        {
            var lower = Vector256.Exp(Vector256.Load(values + j) - shift);
            var upper = Vector256.Exp(Vector256.Load(values + j + 8) - shift);
            lower.Store(values + j);
            upper.Store(values + j + 8);
            lowerTotals += lower;
            upperTotals += upper;
        }
        var sum = Vector256.Sum(lowerTotals) + Vector256.Sum(upperTotals);
        for (; j < count; j++)
        {
            values[j] = MathF.Exp(values[j] - max);
            sum += values[j];
        }
        var scale = 1f / sum;
        var scales = Vector256.Create(scale);
        j = 0;
        for (; j + width <= count; j += width)
        {
            (Vector256.Load(values + j) * scales).Store(values + j);
            (Vector256.Load(values + j + 8) * scales).Store(values + j + 8);
        }
        for (; j < count; j++)
            values[j] *= scale;
    }

    /// <summary>As <see cref="AttentionKernels.AddBias"/> (one addition per element: any block width gives the same bits).</summary>
    public static void AddBias(float* values, float* bias, long stride, int count)
    {
        var j = 0;
        if (stride == 1)
            for (; j + 8 <= count; j += 8)
                (Vector256.Load(values + j) + Vector256.Load(bias + j)).Store(values + j);
        for (; j < count; j++)
            values[j] += bias[j * stride];
    }

    /// <summary>Σ a[i]·b[i] in <see cref="AttentionKernels512"/>'s order: 16 lane sums of FMAs, summed across, then the tail.</summary>
    private static float Dot(float* a, float* b, int size)
    {
        var i = 0;
        var lower = Vector256<float>.Zero;
        var upper = Vector256<float>.Zero;
        for (; i + 16 <= size; i += 16)
        {
            lower = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), lower);
            upper = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 8), Vector256.Load(b + i + 8), upper);
        }
        var result = Vector256.Sum(lower) + Vector256.Sum(upper);
        for (; i < size; i++)
            result = MathF.FusedMultiplyAdd(a[i], b[i], result);
        return result;
    }
}
