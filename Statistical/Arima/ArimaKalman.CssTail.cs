using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

internal static partial class ArimaKalman
{
    /// <summary>
    /// The steps <paramref name="from"/> to <paramref name="n"/> − 1 of two lane blocks of <see cref="InterleavedCss"/>
    /// (columns <paramref name="k0"/> and <paramref name="k1"/>; the same block twice when alone, its second result
    /// unused), every MA term applying: tmp = u − Σ c·e[back] in the terms' order (u the step's AR part), e = tmp,
    /// sum += tmp². <paramref name="coefficients"/> holds each term's two blocks side by side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CssTail(ref double u0, ref double r0, int from, int n, int stride, int k0, int k1,
        ReadOnlySpan<int> maBack, ReadOnlySpan<Vector256<double>> coefficients, ref Vector256<double> total0, ref Vector256<double> total1)
    {
        int nma = maBack.Length;
        if (from >= n) return;
        // The lag-one MA term (the first MA term when present) takes the previous step's residuals from registers
        // (previous0/1), not back from the residual rows just stored: the same values, without a store and reload on
        // each block's chain of dependent steps.
        bool lagOne = nma > 0 && maBack[0] == stride;
        if (lagOne && nma == 1)
        {
            CssTailLagOne(ref u0, ref r0, from, n, stride, k0, k1, coefficients[0], coefficients[1], ref total0, ref total1);
            return;
        }
        if (lagOne && nma == 2)
        {
            CssTailTwoTerms(ref u0, ref r0, from, n, stride, k0, k1, maBack[1], coefficients, ref total0, ref total1);
            return;
        }
        ref int ma0 = ref MemoryMarshal.GetReference(maBack);
        ref var cm = ref MemoryMarshal.GetReference(coefficients);
        var s0 = total0;
        var s1 = total1;
        int firstMa = lagOne ? 1 : 0;
        var previous0 = lagOne ? Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k0)) : default;
        var previous1 = lagOne ? Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k1)) : default;
        for (int l = from; l < n; l++)
        {
            ref double r = ref Unsafe.Add(ref r0, l * stride);
            ref double ra = ref Unsafe.Add(ref r, k0);
            ref double rb = ref Unsafe.Add(ref r, k1);
            var tmp0 = Vector256.LoadUnsafe(ref u0, (nuint)(l * stride + k0));
            var tmp1 = Vector256.LoadUnsafe(ref u0, (nuint)(l * stride + k1));
            if (lagOne)
            {
                tmp0 -= cm * previous0;
                tmp1 -= Unsafe.Add(ref cm, 1) * previous1;
            }
            for (int t = firstMa; t < nma; t++)
            {
                int back = Unsafe.Add(ref ma0, t);
                tmp0 -= Unsafe.Add(ref cm, 2 * t) * Vector256.LoadUnsafe(ref Unsafe.Subtract(ref ra, back));
                tmp1 -= Unsafe.Add(ref cm, 2 * t + 1) * Vector256.LoadUnsafe(ref Unsafe.Subtract(ref rb, back));
            }
            Vector256.StoreUnsafe(tmp0, ref ra);
            Vector256.StoreUnsafe(tmp1, ref rb);
            previous0 = tmp0;
            previous1 = tmp1;
            s0 += tmp0 * tmp0;
            s1 += tmp1 * tmp1;
        }
        total0 = s0;
        total1 = s1;
    }

    /// <summary><see cref="CssTail"/> with the lag-one MA term alone (an MA(1) part): its coefficients in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CssTailLagOne(ref double u0, ref double r0, int from, int n, int stride, int k0, int k1,
        Vector256<double> c0, Vector256<double> c1, ref Vector256<double> total0, ref Vector256<double> total1)
    {
        var s0 = total0;
        var s1 = total1;
        var previous0 = Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k0));
        var previous1 = Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k1));
        for (int l = from; l < n; l++)
        {
            nuint a = (nuint)(l * stride + k0), b = (nuint)(l * stride + k1);
            var tmp0 = Vector256.LoadUnsafe(ref u0, a) - c0 * previous0;
            var tmp1 = Vector256.LoadUnsafe(ref u0, b) - c1 * previous1;
            tmp0.StoreUnsafe(ref r0, a);
            tmp1.StoreUnsafe(ref r0, b);
            previous0 = tmp0;
            previous1 = tmp1;
            s0 += tmp0 * tmp0;
            s1 += tmp1 * tmp1;
        }
        total0 = s0;
        total1 = s1;
    }

    /// <summary>
    /// <see cref="CssTail"/> with the lag-one MA term and one more (an MA(2) part, or a seasonal one's lag): the
    /// coefficients in registers, the second term <paramref name="back"/> elements behind the row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CssTailTwoTerms(ref double u0, ref double r0, int from, int n, int stride, int k0, int k1, int back,
        ReadOnlySpan<Vector256<double>> coefficients, ref Vector256<double> total0, ref Vector256<double> total1)
    {
        var (c0, c1, d0, d1) = (coefficients[0], coefficients[1], coefficients[2], coefficients[3]);
        if ((from - 1) * stride - back + k0 < 0) throw new ArgumentException("The MA term reaches before the series' start.");
        var s0 = total0;
        var s1 = total1;
        var previous0 = Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k0));
        var previous1 = Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k1));
        for (int l = from; l < n; l++)
        {
            nuint a = (nuint)(l * stride + k0), b = (nuint)(l * stride + k1);
            var tmp0 = Vector256.LoadUnsafe(ref u0, a) - c0 * previous0;
            var tmp1 = Vector256.LoadUnsafe(ref u0, b) - c1 * previous1;
            tmp0 -= d0 * Vector256.LoadUnsafe(ref r0, a - (nuint)back);
            tmp1 -= d1 * Vector256.LoadUnsafe(ref r0, b - (nuint)back);
            tmp0.StoreUnsafe(ref r0, a);
            tmp1.StoreUnsafe(ref r0, b);
            previous0 = tmp0;
            previous1 = tmp1;
            s0 += tmp0 * tmp0;
            s1 += tmp1 * tmp1;
        }
        total0 = s0;
        total1 = s1;
    }

    /// <summary>
    /// <see cref="CssTail"/> for three lane blocks side by side (columns <paramref name="k0"/>, + 4, + 8): three
    /// independent chains per step, where a pair and a block run alone would take two passes of the recursion's chain
    /// of dependent steps. <paramref name="coefficients"/> holds each term's three blocks side by side,
    /// <paramref name="totals"/> the three blocks' sums so far.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CssTailThree(ref double u0, ref double r0, int from, int n, int stride, int k0,
        ReadOnlySpan<int> maBack, ReadOnlySpan<Vector256<double>> coefficients, Span<Vector256<double>> totals)
    {
        int nma = maBack.Length;
        if (nma < 1 || from < 1 || from >= n || coefficients.Length < 3 * nma || totals.Length < 3 || k0 + 12 > stride)
            throw new ArgumentException("Three blocks need an MA term, a step before the first and their coefficients.");
        foreach (int back in maBack)
            if (back < stride || from * stride - back < 0) throw new ArgumentException("An MA term reaches before the series' start.");
        int k1 = k0 + 4, k2 = k0 + 8;
        bool lagOne = maBack[0] == stride;
        int firstMa = lagOne ? 1 : 0;
        ref int ma0 = ref MemoryMarshal.GetReference(maBack);
        ref var cm = ref MemoryMarshal.GetReference(coefficients);
        var (s0, s1, s2) = (totals[0], totals[1], totals[2]);
        var previous0 = Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k0));
        var previous1 = Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k1));
        var previous2 = Vector256.LoadUnsafe(ref r0, (nuint)((from - 1) * stride + k2));
        var (c0, c1, c2) = lagOne ? (cm, Unsafe.Add(ref cm, 1), Unsafe.Add(ref cm, 2)) : default;
        for (int l = from; l < n; l++)
        {
            nuint a = (nuint)(l * stride + k0);
            var tmp0 = Vector256.LoadUnsafe(ref u0, a);
            var tmp1 = Vector256.LoadUnsafe(ref u0, a + 4);
            var tmp2 = Vector256.LoadUnsafe(ref u0, a + 8);
            if (lagOne)
            {
                tmp0 -= c0 * previous0;
                tmp1 -= c1 * previous1;
                tmp2 -= c2 * previous2;
            }
            for (int t = firstMa; t < nma; t++)
            {
                nuint back = a - (nuint)Unsafe.Add(ref ma0, t);
                ref var ct = ref Unsafe.Add(ref cm, 3 * t);
                tmp0 -= ct * Vector256.LoadUnsafe(ref r0, back);
                tmp1 -= Unsafe.Add(ref ct, 1) * Vector256.LoadUnsafe(ref r0, back + 4);
                tmp2 -= Unsafe.Add(ref ct, 2) * Vector256.LoadUnsafe(ref r0, back + 8);
            }
            tmp0.StoreUnsafe(ref r0, a);
            tmp1.StoreUnsafe(ref r0, a + 4);
            tmp2.StoreUnsafe(ref r0, a + 8);
            previous0 = tmp0;
            previous1 = tmp1;
            previous2 = tmp2;
            s0 += tmp0 * tmp0;
            s1 += tmp1 * tmp1;
            s2 += tmp2 * tmp2;
        }
        (totals[0], totals[1], totals[2]) = (s0, s1, s2);
    }
}
