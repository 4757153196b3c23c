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
    /// <remarks>
    /// A decoder step's self-attention (one query per row and head over at most 64 cached positions) is bound by the
    /// latency of its FMA chains, not by their number: a key's dot product is two chains of size/16 FMAs, and each
    /// 16-float block of the weighted sum one chain over the keys. So the scores are taken four keys at a time
    /// (<see cref="DotFour"/>: eight independent chains) and the weighted sum four blocks at a time (eight chains over
    /// the keys) — every chain the same FMAs in the same order as before, so the same bits.
    /// </remarks>
    public static void OneQuery(float* query, float* keys, long keyStride, float* values, long valueStride,
        float* bias, long biasStride, int length, int size, float* context, float* scores)
    {
        var j = 0;
        for (; j + 4 <= length; j += 4)
            DotFour(query, keys + j * keyStride, keyStride, size, scores + j);
        for (; j < length; j++)
            scores[j] = Dot(query, keys + j * keyStride, size);
        if (bias is not null)
            AddBias(scores, bias, biasStride, length);
        Softmax(scores, length);
        var i = 0;
        // Per output one chain of FMAs over the keys in order, as in the 512-bit loop; four 16-float blocks at a time.
        for (; i + 64 <= size; i += 64)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<float> a4 = default, a5 = default, a6 = default, a7 = default;
            for (j = 0; j < length; j++)
            {
                var weight = Vector256.Create(scores[j]);
                var row = values + j * valueStride + i;
                a0 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row), a0);
                a1 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row + 24), a3);
                a4 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row + 32), a4);
                a5 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row + 40), a5);
                a6 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row + 48), a6);
                a7 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(row + 56), a7);
            }
            a0.Store(context + i); a1.Store(context + i + 8); a2.Store(context + i + 16); a3.Store(context + i + 24);
            a4.Store(context + i + 32); a5.Store(context + i + 40); a6.Store(context + i + 48); a7.Store(context + i + 56);
        }
        for (; i + 16 <= size; i += 16)
        {
            var lower = Vector256<float>.Zero;
            var upper = Vector256<float>.Zero;
            for (j = 0; j < length; j++)
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
            for (j = 0; j < length; j++)
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

    /// <summary>
    /// <see cref="Dot"/> of <paramref name="a"/> with the four rows b, b + stride, b + 2·stride, b + 3·stride, into
    /// result[0…3]: each the same FMAs, lane sums and tail in the same order as <see cref="Dot"/>, interleaved.
    /// </summary>
    private static void DotFour(float* a, float* b, long stride, int size, float* result)
    {
        float* b1 = b + stride, b2 = b1 + stride, b3 = b2 + stride;
        Vector256<float> lower0 = default, upper0 = default, lower1 = default, upper1 = default;
        Vector256<float> lower2 = default, upper2 = default, lower3 = default, upper3 = default;
        var i = 0;
        for (; i + 16 <= size; i += 16)
        {
            var (left, right) = (Vector256.Load(a + i), Vector256.Load(a + i + 8));
            lower0 = Vector256.FusedMultiplyAdd(left, Vector256.Load(b + i), lower0);
            upper0 = Vector256.FusedMultiplyAdd(right, Vector256.Load(b + i + 8), upper0);
            lower1 = Vector256.FusedMultiplyAdd(left, Vector256.Load(b1 + i), lower1);
            upper1 = Vector256.FusedMultiplyAdd(right, Vector256.Load(b1 + i + 8), upper1);
            lower2 = Vector256.FusedMultiplyAdd(left, Vector256.Load(b2 + i), lower2);
            upper2 = Vector256.FusedMultiplyAdd(right, Vector256.Load(b2 + i + 8), upper2);
            lower3 = Vector256.FusedMultiplyAdd(left, Vector256.Load(b3 + i), lower3);
            upper3 = Vector256.FusedMultiplyAdd(right, Vector256.Load(b3 + i + 8), upper3);
        }
        var (sum0, sum1) = (Vector256.Sum(lower0) + Vector256.Sum(upper0), Vector256.Sum(lower1) + Vector256.Sum(upper1));
        var (sum2, sum3) = (Vector256.Sum(lower2) + Vector256.Sum(upper2), Vector256.Sum(lower3) + Vector256.Sum(upper3));
        for (; i < size; i++)
        {
            sum0 = MathF.FusedMultiplyAdd(a[i], b[i], sum0);
            sum1 = MathF.FusedMultiplyAdd(a[i], b1[i], sum1);
            sum2 = MathF.FusedMultiplyAdd(a[i], b2[i], sum2);
            sum3 = MathF.FusedMultiplyAdd(a[i], b3[i], sum3);
        }
        (result[0], result[1], result[2], result[3]) = (sum0, sum1, sum2, sum3);
    }
}
