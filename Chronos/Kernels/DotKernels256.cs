using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// <see cref="DotKernels"/> on 256-bit vectors, for CPUs with AVX2 + FMA and no AVX-512. Each output keeps the same 16
/// lane sums as <see cref="DotKernels512"/> (lane l adds the products at l, l + 16, …), here as a lower and an upper
/// 8-lane half; lane chains are independent, so a 4 × 4 block computes them in four passes of 2 rows × 4 features over
/// one half each (8 accumulators: AVX2 has 16 vector registers, not AVX-512's 32). Folding adds the upper half onto
/// the lower, then the upper 128 bits onto the lower, as <see cref="DotKernels512"/>'s fold does, and a single output is
/// Vector256.Sum(lower) + Vector256.Sum(upper), which is how .NET defines Vector512.Sum. The tails are the same scalar
/// code, so every output has the same bits as on an AVX-512 machine.
/// </summary>
internal readonly unsafe struct DotKernels256 : IDotBlocks
{
    /// <summary>
    /// y[r, f] (r &lt; 4, f &lt; 4) for rows of x <paramref name="xStride"/> floats apart and weight rows
    /// <paramref name="wStride"/> apart: per pair of rows, the lower then the upper halves of the lane sums
    /// (<see cref="TwoByFourHalf"/>), then folded as <see cref="DotKernels512.FourByFour"/> folds them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FourByFour(float* x, long xStride, float* w, long wStride, int k, float* y, long yStride)
    {
        var lower = stackalloc Vector256<float>[8];
        var upper = stackalloc Vector256<float>[8];
        var whole = k / 16 * 16;
        for (var pair = 0; pair < 4; pair += 2)
        {
            var rows = x + pair * xStride;
            TwoByFourHalf(rows, xStride, w, wStride, whole, lower);
            TwoByFourHalf(rows + 8, xStride, w + 8, wStride, whole, upper);
            for (var r = 0; r < 2; r++)
            {
                var row = rows + r * xStride;
                var s = Sum4(lower + 4 * r, upper + 4 * r);
                for (var i = whole; i < k; i++)
                    s += Vector128.Create(row[i]) * Vector128.Create(w[i], w[wStride + i], w[2 * wStride + i], w[3 * wStride + i]);
                s.Store(y + (pair + r) * yStride);
            }
        }
    }

    /// <summary>
    /// One half of the 16 lane sums of 2 rows × 4 features: sums[4r + f] = Σ over whole 16-input blocks b of
    /// x[r, b + 0…7]·w[f, b + 0…7], as FMAs in block order (pointers already offset to the half).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TwoByFourHalf(float* x, long xStride, float* w, long wStride, int whole, Vector256<float>* sums)
    {
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        float* x1 = x + xStride;
        float* w1 = w + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        for (var i = 0; i < whole; i += 16)
        {
            var f0 = Vector256.Load(w + i);
            var f1 = Vector256.Load(w1 + i);
            var f2 = Vector256.Load(w2 + i);
            var f3 = Vector256.Load(w3 + i);
            var r = Vector256.Load(x + i);
            a00 = Vector256.FusedMultiplyAdd(r, f0, a00); a01 = Vector256.FusedMultiplyAdd(r, f1, a01);
            a02 = Vector256.FusedMultiplyAdd(r, f2, a02); a03 = Vector256.FusedMultiplyAdd(r, f3, a03);
            r = Vector256.Load(x1 + i);
            a10 = Vector256.FusedMultiplyAdd(r, f0, a10); a11 = Vector256.FusedMultiplyAdd(r, f1, a11);
            a12 = Vector256.FusedMultiplyAdd(r, f2, a12); a13 = Vector256.FusedMultiplyAdd(r, f3, a13);
        }
        (sums[0], sums[1], sums[2], sums[3]) = (a00, a01, a02, a03);
        (sums[4], sums[5], sums[6], sums[7]) = (a10, a11, a12, a13);
    }

    /// <summary>y[0, f] (f &lt; 4): one row against four weight rows, both halves of the lane sums in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OneByFour(float* x, float* w, long wStride, int k, float* y)
    {
        Vector256<float> l0 = default, l1 = default, l2 = default, l3 = default;
        Vector256<float> u0 = default, u1 = default, u2 = default, u3 = default;
        float* w1 = w + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        var i = 0;
        for (; i + 16 <= k; i += 16)
        {
            var r = Vector256.Load(x + i);
            l0 = Vector256.FusedMultiplyAdd(r, Vector256.Load(w + i), l0);
            l1 = Vector256.FusedMultiplyAdd(r, Vector256.Load(w1 + i), l1);
            l2 = Vector256.FusedMultiplyAdd(r, Vector256.Load(w2 + i), l2);
            l3 = Vector256.FusedMultiplyAdd(r, Vector256.Load(w3 + i), l3);
            r = Vector256.Load(x + i + 8);
            u0 = Vector256.FusedMultiplyAdd(r, Vector256.Load(w + i + 8), u0);
            u1 = Vector256.FusedMultiplyAdd(r, Vector256.Load(w1 + i + 8), u1);
            u2 = Vector256.FusedMultiplyAdd(r, Vector256.Load(w2 + i + 8), u2);
            u3 = Vector256.FusedMultiplyAdd(r, Vector256.Load(w3 + i + 8), u3);
        }
        var s = Sse3.HorizontalAdd(Sse3.HorizontalAdd(Fold(l0, u0), Fold(l1, u1)), Sse3.HorizontalAdd(Fold(l2, u2), Fold(l3, u3)));
        for (; i < k; i++)
            s += Vector128.Create(x[i]) * Vector128.Create(w[i], w1[i], w2[i], w3[i]);
        s.Store(y);
    }

    /// <summary>One output: a row of x against one weight row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float One(float* x, float* w, int k)
    {
        var lower = Vector256<float>.Zero;
        var upper = Vector256<float>.Zero;
        var i = 0;
        for (; i + 16 <= k; i += 16)
        {
            lower = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(w + i), lower);
            upper = Vector256.FusedMultiplyAdd(Vector256.Load(x + i + 8), Vector256.Load(w + i + 8), upper);
        }
        var s = Vector256.Sum(lower) + Vector256.Sum(upper);
        for (; i < k; i++)
            s += x[i] * w[i];
        return s;
    }

    /// <summary>[Σ f₀, Σ f₁, Σ f₂, Σ f₃] over the 16 lanes of four outputs (lower halves, upper halves), two horizontal-add levels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector256<float>* lower, Vector256<float>* upper) =>
        Sse3.HorizontalAdd(Sse3.HorizontalAdd(Fold(lower[0], upper[0]), Fold(lower[1], upper[1])),
            Sse3.HorizontalAdd(Fold(lower[2], upper[2]), Fold(lower[3], upper[3])));

    /// <summary>The 16 lanes (lower 8, upper 8) folded to 4: the upper half onto the lower, then the upper 128 bits onto the lower.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fold(Vector256<float> lower, Vector256<float> upper)
    {
        var half = lower + upper;
        return half.GetLower() + half.GetUpper();
    }
}
