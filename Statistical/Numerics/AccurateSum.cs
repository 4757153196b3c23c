namespace Forecast.Statistical.Numerics;

/// <summary>
/// Sums and means as R computes them. R's <c>sum()</c> and <c>mean()</c> accumulate in 80-bit long double, and
/// <c>mean()</c> adds a second pass of the residuals (summary.c: <c>rsum</c>, <c>real_mean</c>); plain double loops
/// differ from R in the last bits, which shifts where an optimiser starts. A double-double accumulation (Knuth's
/// TwoSum) carries more bits than long double, so the result rounds to R's in practice.
/// </summary>
internal static class AccurateSum
{
    /// <summary>R's <c>sum(x)</c>.</summary>
    public static double Sum(ReadOnlySpan<double> x)
    {
        double hi = 0, lo = 0;
        foreach (double v in x) Add(ref hi, ref lo, v);
        return hi + lo;
    }

    /// <summary>R's <c>mean(x)</c> (NaN when <paramref name="x"/> is empty).</summary>
    public static double Mean(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty) return double.NaN;
        double hi = 0, lo = 0;
        foreach (double v in x) Add(ref hi, ref lo, v);
        // (hi + lo) / n in double-double: one Newton correction of the quotient.
        double n = x.Length;
        double q = hi / n;
        double r = TwoProductError(q, n, out double p);
        double rem = (hi - p) - r + lo;
        return q + rem / n;
    }

    /// <summary>R's <c>mean(x, na.rm = TRUE)</c>: the mean of the non-NaN values.</summary>
    public static double MeanIgnoringNaN(ReadOnlySpan<double> x)
    {
        double hi = 0, lo = 0;
        int count = 0;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) continue;
            Add(ref hi, ref lo, v);
            count++;
        }
        if (count == 0) return double.NaN;
        double q = hi / count;
        double r = TwoProductError(q, count, out double p);
        double rem = (hi - p) - r + lo;
        return q + rem / count;
    }

    private static void Add(ref double hi, ref double lo, double v)
    {
        double s = hi + v;
        double bp = s - hi;
        double err = (hi - (s - bp)) + (v - bp);
        hi = s;
        lo += err;
    }

    /// <summary>p = fl(a·b) and the exact error a·b − p (by fused multiply-add).</summary>
    private static double TwoProductError(double a, double b, out double p)
    {
        p = a * b;
        return Math.FusedMultiplyAdd(a, b, -p);
    }
}
