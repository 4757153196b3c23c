using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// AVX2 + FMA micro-kernels of <see cref="PackedWeight"/> for CPUs without AVX-512 (many AMD EPYC cloud hosts): the
/// same panels of 32 output features as <see cref="PanelKernels"/>, multiplied one 16-feature half at a time. Every
/// output is the same sequential chain of fused multiply-adds over k = 0 … k−1 as in <see cref="PanelKernels"/>, so
/// the results are the AVX-512 kernels' bits and do not depend on how rows or panels are shared among threads.
/// </summary>
/// <remarks>
/// Six rows × 16 features is the classic AVX2 shape (as in BLIS's and OpenBLAS's Haswell sgemm kernels): 12 ymm
/// accumulators, two panel vectors and one broadcast fill 15 of the 16 registers, so each k costs two loads, six
/// broadcasts and twelve FMAs, which keeps both FMA pipes busy. The second half re-reads the panel (k × 128 bytes)
/// from the L1/L2 cache the first half brought it into.
/// </remarks>
internal static unsafe class PanelKernels256
{
    /// <summary>Rows of x per pass of <see cref="SixRows"/>.</summary>
    public const int RowsPerPass = 6;

    /// <summary>Output features per half panel: two 256-bit vectors of float.</summary>
    public const int HalfWidth = 16;

    /// <summary>
    /// y[r, 0…15] = Σₖ x[r, k]·panel[k, 0…15] for r = 0…5; rows of x are <paramref name="xStride"/> floats apart, rows
    /// of the panel <paramref name="panelStride"/> (32 when packed; <paramref name="panel"/> points at the half), rows
    /// of y <paramref name="yStride"/>. Every eighth k it asks for one cache line of <paramref name="prefetch"/> (k/8
    /// lines from there on, 2·k floats) to be brought into the L2 cache: the weights the caller packs next. With
    /// <paramref name="bias"/> (the half's 16 floats) and/or <paramref name="relu"/> each row is stored as
    /// <c>max(0, y + bias)</c> straight from the registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SixRows(float* x, long xStride, int k, float* panel, long panelStride, float* y, long yStride, float* prefetch,
        float* bias = null, bool relu = false)
    {
        Vector256<float> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default;
        Vector256<float> a3 = default, b3 = default, a4 = default, b4 = default, a5 = default, b5 = default;
        float* x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride, x4 = x3 + xStride, x5 = x4 + xStride;
        for (var i = 0; i < k; i++, panel += panelStride)
        {
            if ((i & 7) == 0)
                Sse.Prefetch1(prefetch + 2 * i);
            var left = Vector256.Load(panel);
            var right = Vector256.Load(panel + 8);
            var v = Vector256.Create(x[i]);
            a0 = Vector256.FusedMultiplyAdd(v, left, a0); b0 = Vector256.FusedMultiplyAdd(v, right, b0);
            v = Vector256.Create(x1[i]);
            a1 = Vector256.FusedMultiplyAdd(v, left, a1); b1 = Vector256.FusedMultiplyAdd(v, right, b1);
            v = Vector256.Create(x2[i]);
            a2 = Vector256.FusedMultiplyAdd(v, left, a2); b2 = Vector256.FusedMultiplyAdd(v, right, b2);
            v = Vector256.Create(x3[i]);
            a3 = Vector256.FusedMultiplyAdd(v, left, a3); b3 = Vector256.FusedMultiplyAdd(v, right, b3);
            v = Vector256.Create(x4[i]);
            a4 = Vector256.FusedMultiplyAdd(v, left, a4); b4 = Vector256.FusedMultiplyAdd(v, right, b4);
            v = Vector256.Create(x5[i]);
            a5 = Vector256.FusedMultiplyAdd(v, left, a5); b5 = Vector256.FusedMultiplyAdd(v, right, b5);
        }
        if (bias is not null || relu)
        {
            Epilogue(ref a0, ref b0, bias, relu); Epilogue(ref a1, ref b1, bias, relu); Epilogue(ref a2, ref b2, bias, relu);
            Epilogue(ref a3, ref b3, bias, relu); Epilogue(ref a4, ref b4, bias, relu); Epilogue(ref a5, ref b5, bias, relu);
        }
        a0.Store(y); b0.Store(y + 8); y += yStride;
        a1.Store(y); b1.Store(y + 8); y += yStride;
        a2.Store(y); b2.Store(y + 8); y += yStride;
        a3.Store(y); b3.Store(y + 8); y += yStride;
        a4.Store(y); b4.Store(y + 8); y += yStride;
        a5.Store(y); b5.Store(y + 8);
    }

    /// <summary>
    /// As <see cref="SixRows"/> for four rows and the whole panel (32 features, <paramref name="bias"/> 32 floats):
    /// eight accumulators, four panel vectors and one broadcast; eight independent chains hide the FMA latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FourRows(float* x, long xStride, int k, float* panel, long panelStride, float* y, long yStride,
        float* bias = null, bool relu = false)
    {
        Vector256<float> a0 = default, b0 = default, c0 = default, d0 = default;
        Vector256<float> a1 = default, b1 = default, c1 = default, d1 = default;
        Vector256<float> a2 = default, b2 = default, c2 = default, d2 = default;
        Vector256<float> a3 = default, b3 = default, c3 = default, d3 = default;
        float* x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        // Two rows at a time over all k, then the next two: 8 accumulators + 4 panel vectors + 1 broadcast stay in
        // registers (16 accumulators for four rows would not).
        for (var i = 0; i < k; i++)
        {
            var p = panel + i * panelStride;
            var (w0, w1, w2, w3) = (Vector256.Load(p), Vector256.Load(p + 8), Vector256.Load(p + 16), Vector256.Load(p + 24));
            var v = Vector256.Create(x[i]);
            a0 = Vector256.FusedMultiplyAdd(v, w0, a0); b0 = Vector256.FusedMultiplyAdd(v, w1, b0);
            c0 = Vector256.FusedMultiplyAdd(v, w2, c0); d0 = Vector256.FusedMultiplyAdd(v, w3, d0);
            v = Vector256.Create(x1[i]);
            a1 = Vector256.FusedMultiplyAdd(v, w0, a1); b1 = Vector256.FusedMultiplyAdd(v, w1, b1);
            c1 = Vector256.FusedMultiplyAdd(v, w2, c1); d1 = Vector256.FusedMultiplyAdd(v, w3, d1);
        }
        for (var i = 0; i < k; i++)
        {
            var p = panel + i * panelStride;
            var (w0, w1, w2, w3) = (Vector256.Load(p), Vector256.Load(p + 8), Vector256.Load(p + 16), Vector256.Load(p + 24));
            var v = Vector256.Create(x2[i]);
            a2 = Vector256.FusedMultiplyAdd(v, w0, a2); b2 = Vector256.FusedMultiplyAdd(v, w1, b2);
            c2 = Vector256.FusedMultiplyAdd(v, w2, c2); d2 = Vector256.FusedMultiplyAdd(v, w3, d2);
            v = Vector256.Create(x3[i]);
            a3 = Vector256.FusedMultiplyAdd(v, w0, a3); b3 = Vector256.FusedMultiplyAdd(v, w1, b3);
            c3 = Vector256.FusedMultiplyAdd(v, w2, c3); d3 = Vector256.FusedMultiplyAdd(v, w3, d3);
        }
        StoreRow(y, a0, b0, c0, d0, bias, relu);
        StoreRow(y + yStride, a1, b1, c1, d1, bias, relu);
        StoreRow(y + 2 * yStride, a2, b2, c2, d2, bias, relu);
        StoreRow(y + 3 * yStride, a3, b3, c3, d3, bias, relu);
    }

    /// <summary>As <see cref="FourRows"/> for one row (four chains: bound by the FMA latency, as the AVX-512 one-row kernel).</summary>
    public static void OneRow(float* x, int k, float* panel, long panelStride, float* y, float* bias = null, bool relu = false)
    {
        Vector256<float> a = default, b = default, c = default, d = default;
        for (var i = 0; i < k; i++, panel += panelStride)
        {
            var v = Vector256.Create(x[i]);
            a = Vector256.FusedMultiplyAdd(v, Vector256.Load(panel), a);
            b = Vector256.FusedMultiplyAdd(v, Vector256.Load(panel + 8), b);
            c = Vector256.FusedMultiplyAdd(v, Vector256.Load(panel + 16), c);
            d = Vector256.FusedMultiplyAdd(v, Vector256.Load(panel + 24), d);
        }
        StoreRow(y, a, b, c, d, bias, relu);
    }

    /// <summary>One row's 32 sums stored as <c>max(0, sums + bias)</c> as asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* y, Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d,
        float* bias, bool relu)
    {
        if (bias is not null || relu)
        {
            Epilogue(ref a, ref b, bias, relu);
            Epilogue(ref c, ref d, bias is null ? null : bias + 16, relu);
        }
        a.Store(y);
        b.Store(y + 8);
        c.Store(y + 16);
        d.Store(y + 24);
    }

    /// <summary>16 sums → <c>max(0, sums + bias)</c> as asked (the same arithmetic as <see cref="PanelKernels"/>' epilogue).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Epilogue(ref Vector256<float> left, ref Vector256<float> right, float* bias, bool relu)
    {
        if (bias is not null)
        {
            left += Vector256.Load(bias);
            right += Vector256.Load(bias + 8);
        }
        if (relu)
        {
            left = Vector256.Max(left, Vector256<float>.Zero);
            right = Vector256.Max(right, Vector256<float>.Zero);
        }
    }
}
