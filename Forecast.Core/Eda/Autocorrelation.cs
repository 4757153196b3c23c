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
        double denominator = 0;
        foreach (double v in x) denominator += (v - mean) * (v - mean);
        var acf = new double[maxLag + 1];
        for (int k = 0; k <= maxLag; k++)
        {
            double sum = 0;
            for (int t = 0; t + k < n; t++) sum += (x[t] - mean) * (x[t + k] - mean);
            acf[k] = denominator > 0 ? sum / denominator : double.NaN;
        }
        return acf;
    }

    /// <summary>Half-width of the 95% band under white noise: 1.96/√n.</summary>
    public static double ConfidenceBand(int n) => 1.96 / Math.Sqrt(n);
}
