using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// AVX-512 micro-kernels of <see cref="PackedWeight"/>: a few rows of <c>x</c> (each <c>k</c> floats) times one panel
/// of 32 output features (<c>k</c> × 32 floats, row after row). Every output is one sequential chain of fused
/// multiply-adds over k = 0 … k−1, so a result does not depend on how rows or panels are shared among threads.
/// Ten rows keep 20 accumulators and both panel vectors in registers: one broadcast and two FMAs per row and k, which
/// keeps both FMA pipes busy while the panel streams from memory once.
/// </summary>
internal static unsafe class PanelKernels
{
    /// <summary>Output features per panel: two 512-bit vectors of float.</summary>
    public const int Width = 32;

    /// <summary>Rows of x per pass of <see cref="TenRows"/>.</summary>
    public const int RowsPerPass = 10;

    /// <summary>
    /// y[r, 0…31] = Σₖ x[r, k]·panel[k, 0…31] for r = 0…9; rows of x are <paramref name="xStride"/> floats apart, rows
    /// of the panel <paramref name="panelStride"/> (32 when packed), rows of y <paramref name="yStride"/>. Every fourth k
    /// it asks for one cache line of <paramref name="prefetch"/> (k/4 lines from there on) to be brought into the L2
    /// cache: the weights the caller packs next, which would otherwise come from memory while nothing else runs.
    /// With <paramref name="bias"/> (32 floats) and/or <paramref name="relu"/> each row is stored as <c>max(0, y + bias)</c>
    /// straight from the registers (a linear layer's epilogue, which as a pass over the stored rows took 2 % of a
    /// Chronos-Bolt call).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TenRows(float* x, long xStride, int k, float* panel, long panelStride, float* y, long yStride, float* prefetch,
        float* bias = null, bool relu = false)
    {
        Vector512<float> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default;
        Vector512<float> a3 = default, b3 = default, a4 = default, b4 = default, a5 = default, b5 = default;
        Vector512<float> a6 = default, b6 = default, a7 = default, b7 = default, a8 = default, b8 = default;
        Vector512<float> a9 = default, b9 = default;
        float* x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride, x4 = x3 + xStride, x5 = x4 + xStride;
        float* x6 = x5 + xStride, x7 = x6 + xStride, x8 = x7 + xStride, x9 = x8 + xStride;
        for (var i = 0; i < k; i++, panel += panelStride)
        {
            if ((i & 3) == 0)
                Sse.Prefetch1(prefetch + 4 * i);
            var left = Vector512.Load(panel);
            var right = Vector512.Load(panel + 16);
            var v = Vector512.Create(x[i]);
            a0 = Vector512.FusedMultiplyAdd(v, left, a0); b0 = Vector512.FusedMultiplyAdd(v, right, b0);
            v = Vector512.Create(x1[i]);
            a1 = Vector512.FusedMultiplyAdd(v, left, a1); b1 = Vector512.FusedMultiplyAdd(v, right, b1);
            v = Vector512.Create(x2[i]);
            a2 = Vector512.FusedMultiplyAdd(v, left, a2); b2 = Vector512.FusedMultiplyAdd(v, right, b2);
            v = Vector512.Create(x3[i]);
            a3 = Vector512.FusedMultiplyAdd(v, left, a3); b3 = Vector512.FusedMultiplyAdd(v, right, b3);
            v = Vector512.Create(x4[i]);
            a4 = Vector512.FusedMultiplyAdd(v, left, a4); b4 = Vector512.FusedMultiplyAdd(v, right, b4);
            v = Vector512.Create(x5[i]);
            a5 = Vector512.FusedMultiplyAdd(v, left, a5); b5 = Vector512.FusedMultiplyAdd(v, right, b5);
            v = Vector512.Create(x6[i]);
            a6 = Vector512.FusedMultiplyAdd(v, left, a6); b6 = Vector512.FusedMultiplyAdd(v, right, b6);
            v = Vector512.Create(x7[i]);
            a7 = Vector512.FusedMultiplyAdd(v, left, a7); b7 = Vector512.FusedMultiplyAdd(v, right, b7);
            v = Vector512.Create(x8[i]);
            a8 = Vector512.FusedMultiplyAdd(v, left, a8); b8 = Vector512.FusedMultiplyAdd(v, right, b8);
            v = Vector512.Create(x9[i]);
            a9 = Vector512.FusedMultiplyAdd(v, left, a9); b9 = Vector512.FusedMultiplyAdd(v, right, b9);
        }
        if (bias is not null || relu)
        {
            Epilogue(ref a0, ref b0, bias, relu); Epilogue(ref a1, ref b1, bias, relu); Epilogue(ref a2, ref b2, bias, relu);
            Epilogue(ref a3, ref b3, bias, relu); Epilogue(ref a4, ref b4, bias, relu); Epilogue(ref a5, ref b5, bias, relu);
            Epilogue(ref a6, ref b6, bias, relu); Epilogue(ref a7, ref b7, bias, relu); Epilogue(ref a8, ref b8, bias, relu);
            Epilogue(ref a9, ref b9, bias, relu);
        }
        a0.Store(y); b0.Store(y + 16); y += yStride;
        a1.Store(y); b1.Store(y + 16); y += yStride;
        a2.Store(y); b2.Store(y + 16); y += yStride;
        a3.Store(y); b3.Store(y + 16); y += yStride;
        a4.Store(y); b4.Store(y + 16); y += yStride;
        a5.Store(y); b5.Store(y + 16); y += yStride;
        a6.Store(y); b6.Store(y + 16); y += yStride;
        a7.Store(y); b7.Store(y + 16); y += yStride;
        a8.Store(y); b8.Store(y + 16); y += yStride;
        a9.Store(y); b9.Store(y + 16);
    }

    /// <summary>As <see cref="TenRows"/> for four rows (the remainder of a row count that is not a multiple of ten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FourRows(float* x, long xStride, int k, float* panel, long panelStride, float* y, long yStride,
        float* bias = null, bool relu = false)
    {
        Vector512<float> a0 = default, b0 = default, a1 = default, b1 = default;
        Vector512<float> a2 = default, b2 = default, a3 = default, b3 = default;
        float* x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        for (var i = 0; i < k; i++, panel += panelStride)
        {
            var left = Vector512.Load(panel);
            var right = Vector512.Load(panel + 16);
            var v = Vector512.Create(x[i]);
            a0 = Vector512.FusedMultiplyAdd(v, left, a0); b0 = Vector512.FusedMultiplyAdd(v, right, b0);
            v = Vector512.Create(x1[i]);
            a1 = Vector512.FusedMultiplyAdd(v, left, a1); b1 = Vector512.FusedMultiplyAdd(v, right, b1);
            v = Vector512.Create(x2[i]);
            a2 = Vector512.FusedMultiplyAdd(v, left, a2); b2 = Vector512.FusedMultiplyAdd(v, right, b2);
            v = Vector512.Create(x3[i]);
            a3 = Vector512.FusedMultiplyAdd(v, left, a3); b3 = Vector512.FusedMultiplyAdd(v, right, b3);
        }
        if (bias is not null || relu)
        {
            Epilogue(ref a0, ref b0, bias, relu); Epilogue(ref a1, ref b1, bias, relu);
            Epilogue(ref a2, ref b2, bias, relu); Epilogue(ref a3, ref b3, bias, relu);
        }
        a0.Store(y); b0.Store(y + 16); y += yStride;
        a1.Store(y); b1.Store(y + 16); y += yStride;
        a2.Store(y); b2.Store(y + 16); y += yStride;
        a3.Store(y); b3.Store(y + 16);
    }

    /// <summary>As <see cref="TenRows"/> for one row.</summary>
    public static void OneRow(float* x, int k, float* panel, long panelStride, float* y, float* bias = null, bool relu = false)
    {
        Vector512<float> a = default, b = default;
        for (var i = 0; i < k; i++, panel += panelStride)
        {
            var v = Vector512.Create(x[i]);
            a = Vector512.FusedMultiplyAdd(v, Vector512.Load(panel), a);
            b = Vector512.FusedMultiplyAdd(v, Vector512.Load(panel + 16), b);
        }
        if (bias is not null || relu)
            Epilogue(ref a, ref b, bias, relu);
        a.Store(y);
        b.Store(y + 16);
    }

    /// <summary>One row's 32 sums → <c>max(0, sums + bias)</c> as asked (the same arithmetic as <see cref="RowKernels.BiasRelu"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Epilogue(ref Vector512<float> left, ref Vector512<float> right, float* bias, bool relu)
    {
        if (bias is not null)
        {
            left += Vector512.Load(bias);
            right += Vector512.Load(bias + 16);
        }
        if (relu)
        {
            left = Vector512.Max(left, Vector512<float>.Zero);
            right = Vector512.Max(right, Vector512<float>.Zero);
        }
    }
}
