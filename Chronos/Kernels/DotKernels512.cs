using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// <see cref="DotKernels"/> on 512-bit vectors (AVX-512). Reductions: each output keeps 16 lane sums (lane l adds the
/// products at l, l + 16, … as FMAs in that order); four outputs' lanes are folded (upper 256 bits onto lower, then upper
/// 128 onto lower) and finished by two horizontal-add levels, a single output by Vector512.Sum; the inputs beyond the
/// last whole 16 are then added one product at a time (a multiply, then an add). <see cref="DotKernels256"/> repeats
/// exactly this order.
/// </summary>
internal readonly unsafe struct DotKernels512 : IDotBlocks
{
    /// <summary>Blocks of four rows (<see cref="FourByFour"/>), then one row at a time; the next weights are left to the hardware.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FourFeatures(float* x, int rows, int k, float* w, float* y, long yStride, float* next)
    {
        var row = 0;
        for (; row + 4 <= rows; row += 4)
            FourByFour(x + (long)row * k, k, w, k, k, y + row * yStride, yStride);
        for (; row < rows; row++)
            OneByFour(x + (long)row * k, w, k, k, y + row * yStride);
    }

    /// <summary>
    /// y[r, f] (r &lt; 4, f &lt; 4) for rows of x <paramref name="xStride"/> floats apart and weight rows
    /// <paramref name="wStride"/> apart; 16 accumulators, and for every 16 inputs eight loads feed sixteen FMAs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FourByFour(float* x, long xStride, float* w, long wStride, int k, float* y, long yStride)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        float* x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        float* w1 = w + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        var i = 0;
        for (; i + 16 <= k; i += 16)
        {
            var f0 = Vector512.Load(w + i);
            var f1 = Vector512.Load(w1 + i);
            var f2 = Vector512.Load(w2 + i);
            var f3 = Vector512.Load(w3 + i);
            var r = Vector512.Load(x + i);
            a00 = Vector512.FusedMultiplyAdd(r, f0, a00); a01 = Vector512.FusedMultiplyAdd(r, f1, a01);
            a02 = Vector512.FusedMultiplyAdd(r, f2, a02); a03 = Vector512.FusedMultiplyAdd(r, f3, a03);
            r = Vector512.Load(x1 + i);
            a10 = Vector512.FusedMultiplyAdd(r, f0, a10); a11 = Vector512.FusedMultiplyAdd(r, f1, a11);
            a12 = Vector512.FusedMultiplyAdd(r, f2, a12); a13 = Vector512.FusedMultiplyAdd(r, f3, a13);
            r = Vector512.Load(x2 + i);
            a20 = Vector512.FusedMultiplyAdd(r, f0, a20); a21 = Vector512.FusedMultiplyAdd(r, f1, a21);
            a22 = Vector512.FusedMultiplyAdd(r, f2, a22); a23 = Vector512.FusedMultiplyAdd(r, f3, a23);
            r = Vector512.Load(x3 + i);
            a30 = Vector512.FusedMultiplyAdd(r, f0, a30); a31 = Vector512.FusedMultiplyAdd(r, f1, a31);
            a32 = Vector512.FusedMultiplyAdd(r, f2, a32); a33 = Vector512.FusedMultiplyAdd(r, f3, a33);
        }
        var s0 = Sum4(a00, a01, a02, a03);
        var s1 = Sum4(a10, a11, a12, a13);
        var s2 = Sum4(a20, a21, a22, a23);
        var s3 = Sum4(a30, a31, a32, a33);
        for (; i < k; i++)
        {
            s0 += Vector128.Create(x[i]) * Vector128.Create(w[i], w1[i], w2[i], w3[i]);
            s1 += Vector128.Create(x1[i]) * Vector128.Create(w[i], w1[i], w2[i], w3[i]);
            s2 += Vector128.Create(x2[i]) * Vector128.Create(w[i], w1[i], w2[i], w3[i]);
            s3 += Vector128.Create(x3[i]) * Vector128.Create(w[i], w1[i], w2[i], w3[i]);
        }
        s0.Store(y);
        s1.Store(y + yStride);
        s2.Store(y + 2 * yStride);
        s3.Store(y + 3 * yStride);
    }

    /// <summary>y[0, f] (f &lt; 4): one row against four weight rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OneByFour(float* x, float* w, long wStride, int k, float* y)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        float* w1 = w + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        var i = 0;
        for (; i + 16 <= k; i += 16)
        {
            var r = Vector512.Load(x + i);
            a0 = Vector512.FusedMultiplyAdd(r, Vector512.Load(w + i), a0);
            a1 = Vector512.FusedMultiplyAdd(r, Vector512.Load(w1 + i), a1);
            a2 = Vector512.FusedMultiplyAdd(r, Vector512.Load(w2 + i), a2);
            a3 = Vector512.FusedMultiplyAdd(r, Vector512.Load(w3 + i), a3);
        }
        var s = Sum4(a0, a1, a2, a3);
        for (; i < k; i++)
            s += Vector128.Create(x[i]) * Vector128.Create(w[i], w1[i], w2[i], w3[i]);
        s.Store(y);
    }

    /// <summary>One output: a row of x against one weight row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float One(float* x, float* w, int k)
    {
        var a = Vector512<float>.Zero;
        var i = 0;
        for (; i + 16 <= k; i += 16)
            a = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(w + i), a);
        var s = Vector512.Sum(a);
        for (; i < k; i++)
            s += x[i] * w[i];
        return s;
    }

    /// <summary>[Σ a, Σ b, Σ c, Σ d] over the 16 lanes of each: halves folded, then two horizontal-add levels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        var a4 = Fold(a);
        var b4 = Fold(b);
        var c4 = Fold(c);
        var d4 = Fold(d);
        return Sse3.HorizontalAdd(Sse3.HorizontalAdd(a4, b4), Sse3.HorizontalAdd(c4, d4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fold(Vector512<float> v)
    {
        var half = v.GetLower() + v.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
}
