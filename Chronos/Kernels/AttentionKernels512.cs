using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// <see cref="AttentionKernels"/>' one-query loops, softmax and bias on 512-bit vectors (AVX-512). Reductions: a dot
/// product keeps 16 lane sums (lane l adds the products at l, l + 16, …, as FMAs in that order), summed across lanes by
/// Vector512.Sum, then the tail beyond the last whole 16 floats as scalar FMAs; the weighted sum over values is, per
/// output, one chain of FMAs over the keys in order. <see cref="AttentionKernels256"/> repeats exactly this order.
/// </summary>
internal static unsafe class AttentionKernels512
{
    /// <summary>
    /// See <see cref="AttentionKernels.OneQuery"/>: context[0…size) = Σⱼ softmax(q·kⱼ + bias[j])ⱼ · vⱼ over j &lt; <paramref name="length"/>; key j starts at
    /// <c>keys + j·keyStride</c>, value j at <c>values + j·valueStride</c>, bias j at <c>bias[j·biasStride]</c>
    /// (<paramref name="bias"/> may be null). <paramref name="scores"/> holds <paramref name="length"/> floats of scratch.
    /// </summary>
    public static void OneQuery(float* query, float* keys, long keyStride, float* values, long valueStride,
        float* bias, long biasStride, int length, int size, float* context, float* scores)
    {
        for (var j = 0; j < length; j++)
            scores[j] = Dot(query, keys + j * keyStride, size);
        if (bias is not null)
            AddBias(scores, bias, biasStride, length);
        Softmax(scores, length);
        var i = 0;
        for (; i + Vector512<float>.Count <= size; i += Vector512<float>.Count)
        {
            var sum = Vector512<float>.Zero;
            for (var j = 0; j < length; j++)
                sum = Vector512.FusedMultiplyAdd(Vector512.Create(scores[j]), Vector512.Load(values + j * valueStride + i), sum);
            sum.Store(context + i);
        }
        for (; i < size; i++)
        {
            var sum = 0f;
            for (var j = 0; j < length; j++)
                sum = MathF.FusedMultiplyAdd(scores[j], values[j * valueStride + i], sum);
            context[i] = sum;
        }
    }

    /// <summary>
    /// values ← softmax(values) in place: exp(x − max) / Σ exp(x − max), as torch.softmax in float32 (masked entries
    /// at finfo.min become exactly 0).
    /// </summary>
    public static void Softmax(float* values, int count)
    {
        const int width = 16;
        var j = 0;
        var maxima = Vector512.Create(float.NegativeInfinity);
        for (; j + width <= count; j += width)
            maxima = Vector512.Max(maxima, Vector512.Load(values + j));
        var max = float.NegativeInfinity;
        for (var lane = 0; lane < width; lane++)
            max = MathF.Max(max, maxima[lane]);
        for (; j < count; j++)
            max = MathF.Max(max, values[j]);
        var shift = Vector512.Create(max);
        var totals = Vector512<float>.Zero;
        j = 0;
        for (; j + width <= count; j += width)
        {
            var e = Vector512.Exp(Vector512.Load(values + j) - shift);
            e.Store(values + j);
            totals += e;
        }
        var sum = Vector512.Sum(totals);
        for (; j < count; j++)
        {
            values[j] = MathF.Exp(values[j] - max);
            sum += values[j];
        }
        var scale = 1f / sum;
        var scales = Vector512.Create(scale);
        j = 0;
        for (; j + width <= count; j += width)
            (Vector512.Load(values + j) * scales).Store(values + j);
        for (; j < count; j++)
            values[j] *= scale;
    }

    /// <summary>values[j] += bias[j·stride] for j &lt; count.</summary>
    public static void AddBias(float* values, float* bias, long stride, int count)
    {
        var j = 0;
        if (stride == 1)
            for (; j + 16 <= count; j += 16)
                (Vector512.Load(values + j) + Vector512.Load(bias + j)).Store(values + j);
        for (; j < count; j++)
            values[j] += bias[j * stride];
    }

    private static float Dot(float* a, float* b, int size)
    {
        var i = 0;
        var sum = Vector512<float>.Zero;
        for (; i + Vector512<float>.Count <= size; i += Vector512<float>.Count)
            sum = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), sum);
        var result = Vector512.Sum(sum);
        for (; i < size; i++)
            result = MathF.FusedMultiplyAdd(a[i], b[i], result);
        return result;
    }
}
