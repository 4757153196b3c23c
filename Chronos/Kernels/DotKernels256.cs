using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// <see cref="DotKernels"/> on 256-bit vectors, for CPUs with AVX2 + FMA and no AVX-512. Each output keeps the same 16
/// lane sums as <see cref="DotKernels512"/> (lane l adds the products at l, l + 16, …), here as a lower and an upper
/// 8-lane half; lane chains are independent, so they are computed in passes of 2 rows × 4 features over one half each
/// (8 accumulators: AVX2 has 16 vector registers, not AVX-512's 32), continued chunk after chunk of the inputs. Folding adds the upper half onto
/// the lower, then the upper 128 bits onto the lower, as <see cref="DotKernels512"/>'s fold does, and a single output is
/// Vector256.Sum(lower) + Vector256.Sum(upper), which is how .NET defines Vector512.Sum. The tails are the same scalar
/// code, so every output has the same bits as on an AVX-512 machine.
/// </summary>
internal readonly unsafe struct DotKernels256 : IDotBlocks
{
    /// <summary>
    /// Inputs per chunk where k is longer than <see cref="UnchunkedInputs"/>: four weight rows' chunk (12 KiB) stays in
    /// the L1 cache while every row passes. Whole, the four rows of Bolt-base's wo (k = 3072, 48 KiB) did not fit, and
    /// every pass read them again from the L2 cache: 25 GFLOP per CPU second at 33 rows against 34 at k = 768
    /// (bench/Chronos <c>dot-ceiling</c>).
    /// </summary>
    private const int ChunkInputs = 768;

    /// <summary>Up to this many inputs (whole 16-float blocks) a row's sums run over k in one pass.</summary>
    private const int UnchunkedInputs = 1024;

    /// <summary>Rows whose lane sums are held at once: 48 rows × 4 features × 16 lanes, 12 KiB of stack.</summary>
    private const int RowsPerSlab = 48;

    /// <summary>
    /// y[r, f] for all rows and four features: the 16 lane sums of every (row, feature) kept in memory between passes
    /// over chunks of the inputs, pairs of rows per pass (<see cref="TwoByFourHalf"/>, lower then upper halves), a last
    /// odd row alone (<see cref="OneByFour"/>), then folded as <see cref="DotKernels512"/>'s four-feature blocks fold
    /// them and the inputs past the last whole 16 added one by one. A lane sum is the same chain of FMAs in block order
    /// however rows are paired and inputs chunked, so the bits are those of the 512-bit kernels. Every pass brings its
    /// share of <paramref name="next"/> (one cache line per eight 16-float blocks) into the L2 cache: weights are read
    /// once per call, from memory, and the next group's had waited for the hardware prefetcher (34 GFLOP per CPU
    /// second with the weights in the cache, 31 without, at 33 × 768 → 768).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]                            // the sums are cleared for the rows used, not all 12 KiB per call
    public static void FourFeatures(float* x, int rows, int k, float* w, float* y, long yStride, float* next)
    {
        if (rows == 1)
        {
            OneRow(x, w, k, y);
            return;
        }
        var whole = k / 16 * 16;
        var chunk = whole <= UnchunkedInputs ? whole : ChunkInputs;
        var sums = stackalloc Vector256<float>[RowsPerSlab * 8];   // row r: lower halves of features 0…3, then upper halves
        var prefetch = next;
        var prefetchEnd = next is null ? null : next + 4L * k;
        for (var slab = 0; slab < rows; slab += RowsPerSlab)
        {
            var slabRows = Math.Min(RowsPerSlab, rows - slab);
            new Span<Vector256<float>>(sums, slabRows * 8).Clear();
            var slabX = x + (long)slab * k;
            for (var start = 0; start < whole; start += chunk)
            {
                var count = Math.Min(chunk, whole - start);
                var step = count / 8;
                var row = 0;
                for (; row + 2 <= slabRows; row += 2)
                {
                    var pair = slabX + (long)row * k + start;
                    var rowSums = sums + 8 * row;
                    TwoByFourHalf(pair, k, w + start, k, count, rowSums, rowSums + 8, Ahead(ref prefetch, prefetchEnd, step, w));
                    TwoByFourHalf(pair + 8, k, w + start + 8, k, count, rowSums + 4, rowSums + 12, Ahead(ref prefetch, prefetchEnd, step, w));
                }
                if (row < slabRows)
                    OneByFour(slabX + (long)row * k + start, w + start, k, count, sums + 8 * row, Ahead(ref prefetch, prefetchEnd, step, w));
            }
            for (var r = 0; r < slabRows; r++)
            {
                var input = slabX + (long)r * k;
                var s = Sum4(sums + 8 * r, sums + 8 * r + 4);
                for (var i = whole; i < k; i++)
                    s += Vector128.Create(input[i]) * Vector128.Create(w[i], w[k + i], w[2L * k + i], w[3L * k + i]);
                s.Store(y + (slab + r) * yStride);
            }
        }
    }

    /// <summary>
    /// Where a pass fetches ahead from: the next <paramref name="step"/> floats of the region, or, past its end (or
    /// without one), <paramref name="cached"/> — lines already in the cache.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Ahead(ref float* prefetch, float* end, int step, float* cached)
    {
        if (prefetch is null || prefetch >= end)
            return cached;
        var here = prefetch;
        prefetch += step;
        return here;
    }

    /// <summary>
    /// One half of the 16 lane sums of 2 rows × 4 features, continued over <paramref name="count"/> inputs (whole
    /// 16-input blocks): first[f] += Σ over the blocks b of x[0, b + 0…7]·w[f, b + 0…7], second[f] likewise for the row
    /// <paramref name="xStride"/> floats on, as FMAs in block order (pointers already offset to the half); one line of
    /// <paramref name="ahead"/> is fetched into the L2 cache per eight blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TwoByFourHalf(float* x, long xStride, float* w, long wStride, int count, Vector256<float>* first,
        Vector256<float>* second, float* ahead)
    {
        Vector256<float> a00 = first[0], a01 = first[1], a02 = first[2], a03 = first[3];
        Vector256<float> a10 = second[0], a11 = second[1], a12 = second[2], a13 = second[3];
        float* x1 = x + xStride;
        float* w1 = w + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        for (var i = 0; i < count; i += 16)
        {
            if ((i & 127) == 0)
                Sse.Prefetch1(ahead + (i >> 3));
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
        (first[0], first[1], first[2], first[3]) = (a00, a01, a02, a03);
        (second[0], second[1], second[2], second[3]) = (a10, a11, a12, a13);
    }

    /// <summary>
    /// Both halves of the 16 lane sums of one row × 4 features, continued over <paramref name="count"/> inputs:
    /// sums[f] (lower) and sums[4 + f] (upper), as <see cref="TwoByFourHalf"/> for one row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneByFour(float* x, float* w, long wStride, int count, Vector256<float>* sums, float* ahead)
    {
        Vector256<float> l0 = sums[0], l1 = sums[1], l2 = sums[2], l3 = sums[3];
        Vector256<float> u0 = sums[4], u1 = sums[5], u2 = sums[6], u3 = sums[7];
        float* w1 = w + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        for (var i = 0; i < count; i += 16)
        {
            if ((i & 127) == 0)
                Sse.Prefetch1(ahead + (i >> 3));
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
        (sums[0], sums[1], sums[2], sums[3]) = (l0, l1, l2, l3);
        (sums[4], sums[5], sums[6], sums[7]) = (u0, u1, u2, u3);
    }

    /// <summary>
    /// y[0, f] (f &lt; 4): one row against four weight rows in one pass over k, both halves of the lane sums in registers
    /// (a decoder step's products read every weight once: nothing to keep in the caches, the hardware prefetcher
    /// follows the four rows), folded as <see cref="FourFeatures"/> folds them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRow(float* x, float* w, int k, float* y)
    {
        Vector256<float> l0 = default, l1 = default, l2 = default, l3 = default;
        Vector256<float> u0 = default, u1 = default, u2 = default, u3 = default;
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
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
