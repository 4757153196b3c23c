namespace Forecast.Core.Eda;

/// <summary>
/// The sample autocorrelation function, as R's <c>acf</c> and statsmodels' <c>acf</c>: r_k = Σ (x_t − x̄)(x_{t+k} − x̄) / Σ (x_t − x̄)²,
/// with the usual white-noise band ±1.96/√n (Box, Jenkins and Reinsel, Time Series Analysis, 1994, section 6.2).
/// </summary>
public static class Autocorrelation
{
    /// <summary>r_0 … r_maxLag of a gap-free series (r_0 = 1); NaN for a constant series.</summary>
    public static double[] Compute(ReadOnlySpan<double> x, int maxLag)
    {
        int n = x.Length;
        maxLag = Math.Clamp(maxLag, 0, Math.Max(0, n - 1));
        double mean = 0;
        foreach (double v in x) mean += v;
        mean /= n;
        var centered = new double[n];
        for (int t = 0; t < n; t++) centered[t] = x[t] - mean;
        double denominator = Dot(centered, centered);
        var acf = new double[maxLag + 1];
        for (int k = 0; k <= maxLag; k++)
            acf[k] = denominator > 0 ? Dot(centered.AsSpan(0, n - k), centered.AsSpan(k)) / denominator : double.NaN;
        return acf;
    }

    /// <summary>Σ a_i b_i over the shorter length, SIMD-wide (the ACF is n × lags multiply-adds per series).</summary>
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = Math.Min(a.Length, b.Length);
        int width = System.Numerics.Vector<double>.Count;
        var sum = System.Numerics.Vector<double>.Zero;
        int i = 0;
        for (; i <= n - width; i += width)
            sum += new System.Numerics.Vector<double>(a.Slice(i, width)) * new System.Numerics.Vector<double>(b.Slice(i, width));
        double total = System.Numerics.Vector.Sum(sum);
        for (; i < n; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>Half-width of the 95% band under white noise: 1.96/√n.</summary>
    public static double ConfidenceBand(int n) => 1.96 / Math.Sqrt(n);
}
