using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// T5 attention for one query as plain loops (modeling_t5.py: scores = q·kᵀ without 1/√d, + position bias / mask,
/// softmax in float32, weights·v). A decoder step attends one new position per row and head over at most 64 cached
/// ones: libtorch did that as 2 × rows × heads matrix-vector calls, each costing more to dispatch than to compute.
/// The loops run on 512-bit vectors where the CPU has them (<see cref="AttentionKernels512"/>), else on 256-bit ones
/// (<see cref="AttentionKernels256"/>, AVX2 + FMA), chosen once per call; both give the same bits.
/// </summary>
internal static unsafe class AttentionKernels
{
    /// <summary>Whether 512-bit vectors run in hardware (else .NET would emulate them: the 256-bit loops run).</summary>
    private static readonly bool WideVectors = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// context[0…size) = Σⱼ softmax(q·kⱼ + bias[j])ⱼ · vⱼ over j &lt; <paramref name="length"/>; key j starts at
    /// <c>keys + j·keyStride</c>, value j at <c>values + j·valueStride</c>, bias j at <c>bias[j·biasStride]</c>
    /// (<paramref name="bias"/> may be null). <paramref name="scores"/> holds <paramref name="length"/> floats of scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OneQuery(float* query, float* keys, long keyStride, float* values, long valueStride,
        float* bias, long biasStride, int length, int size, float* context, float* scores)
    {
        if (WideVectors)
            AttentionKernels512.OneQuery(query, keys, keyStride, values, valueStride, bias, biasStride, length, size, context, scores);
        else
            AttentionKernels256.OneQuery(query, keys, keyStride, values, valueStride, bias, biasStride, length, size, context, scores);
    }

    /// <summary>
    /// Every query row of (batch entry, head) pairs <paramref name="firstPair"/> … <paramref name="endPair"/>−1 through
    /// <see cref="OneQuery"/>: queries q (B, h, Lq, d), keys k and values v (B, h, Lk, ·), an optional bias b expanded
    /// to (B, h, Lq, Lk), and the heads merged into o (B, Lq, h·dv). <paramref name="scores"/> holds Lk floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AttendPairs(StridedTensor q, StridedTensor k, StridedTensor v, StridedTensor? b, StridedTensor o,
        long heads, int queryLength, int keyLength, int size, int valueSize, long firstPair, long endPair, float* scores)
    {
        for (var pair = firstPair; pair < endPair; pair++)
        {
            var (entry, head) = (pair / heads, pair % heads);
            for (var row = 0; row < queryLength; row++)
                OneQuery(q.At(entry, head, row), k.At(entry, head, 0), k.Stride(2), v.At(entry, head, 0), v.Stride(2),
                    b is { } bias ? bias.At(entry, head, row) : null, b?.Stride(3) ?? 0, keyLength, size,
                    o.At(0, entry, row) + head * valueSize, scores);
        }
    }

    /// <summary>Fewest queries per (batch entry, head) pair for which <see cref="AttendPairsInPanels"/> pays off.</summary>
    public const int PanelQueryMinimum = 8;

    /// <summary>Floats of scratch <see cref="AttendPairsInPanels"/> needs per thread (scores, packed keys, alignment).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long PanelScratchFloats(int queryLength, int keyLength, int size, int valueSize) =>
        (long)queryLength * keyLength + PanelFloats(keyLength, size) + PanelFloats(valueSize, keyLength) + 32;

    /// <summary>
    /// As <see cref="AttendPairs"/>, for pairs with many queries (an encoder's self-attention): per pair the keys are
    /// packed into panels of 32 (<see cref="PackedWeight.PackPanel"/>), all scores come from the panel kernels as one
    /// product queries·keysᵀ, then bias and softmax per row, then one product scores·values (the values used in place
    /// when d_v fills whole panels). <see cref="OneQuery"/>'s dot products end in a sum across lanes per key, which
    /// kept attention at a fifth of the FMA peak (a tenth of Chronos-2's time at 256 series for 2.5 % of its products).
    /// Each score is a chain of FMAs over d and each output over the keys, as in <see cref="OneQuery"/>'s weighted sum.
    /// </summary>
    /// <param name="scratch">
    /// <see cref="PanelScratchFloats"/> floats.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AttendPairsInPanels(StridedTensor q, StridedTensor k, StridedTensor v, StridedTensor? b, StridedTensor o,
        long heads, int queryLength, int keyLength, int size, int valueSize, long firstPair, long endPair, float* scratch)
    {
        const int width = PanelKernels.Width;
        var scores = scratch;
        var keyPanels = (float*)(((nint)(scratch + (long)queryLength * keyLength) + 63) & ~(nint)63);
        var valuePanels = keyPanels + PanelFloats(keyLength, size);
        var keyPanelCount = (keyLength + width - 1) / width;
        var valuesInPlace = valueSize % width == 0;
        var valuePanelCount = (valueSize + width - 1) / width;
        for (var pair = firstPair; pair < endPair; pair++)
        {
            var (entry, head) = (pair / heads, pair % heads);
            var keys = k.At(entry, head, 0);
            for (var panel = 0; panel < keyPanelCount; panel++)
            {
                var packed = keyPanels + (long)panel * size * width;
                PackedWeight.PackPanel(keys, k.Stride(2), 1, keyLength, size, panel, packed);
                PackedWeight.MultiplyPanel(q.At(entry, head, 0), q.Stride(2), queryLength, size, packed, width,
                    scores + panel * width, keyLength, Math.Min(width, keyLength - panel * width));
            }
            for (var row = 0; row < queryLength; row++)
            {
                var rowScores = scores + (long)row * keyLength;
                if (b is { } bias)
                    AddBias(rowScores, bias.At(entry, head, row), bias.Stride(3), keyLength);
                Softmax(rowScores, keyLength);
            }
            var values = v.At(entry, head, 0);
            var target = o.At(0, entry, 0) + head * valueSize;
            for (var panel = 0; panel < valuePanelCount; panel++)
            {
                // Values as a weight W[n, j] = v[j, n]: output feature n (a value dimension), input j (a key).
                var panelData = valuesInPlace ? values + panel * width : valuePanels;
                var panelRowStride = valuesInPlace ? v.Stride(2) : width;
                if (!valuesInPlace)
                    PackedWeight.PackPanel(values, 1, v.Stride(2), valueSize, keyLength, panel, panelData);
                PackedWeight.MultiplyPanel(scores, keyLength, queryLength, keyLength, panelData, panelRowStride,
                    target + panel * width, o.Stride(2), Math.Min(width, valueSize - panel * width));
            }
        }
    }

    /// <summary>Floats of the panels of an out × in matrix (whole panels of 32 output features).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long PanelFloats(int outFeatures, int inFeatures) =>
        (long)(outFeatures + PanelKernels.Width - 1) / PanelKernels.Width * PanelKernels.Width * inFeatures;

    /// <summary>
    /// values ← softmax(values) in place: exp(x − max) / Σ exp(x − max), as torch.softmax in float32 (masked entries
    /// at finfo.min become exactly 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softmax(float* values, int count)
    {
        if (WideVectors)
            AttentionKernels512.Softmax(values, count);
        else
            AttentionKernels256.Softmax(values, count);
    }

    /// <summary>values[j] += bias[j·stride] for j &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddBias(float* values, float* bias, long stride, int count)
    {
        if (WideVectors)
            AttentionKernels512.AddBias(values, bias, stride, count);
        else
            AttentionKernels256.AddBias(values, bias, stride, count);
    }
}
