namespace Forecast.Statistical.Numerics;

/// <summary>
/// The sample autocorrelation function as R's <c>acf(x, lag.max, plot = FALSE)</c>: the series is centred on its mean,
/// lag-k sums divided by n (filter.c/acf: <c>acf0</c>), then by the lag-0 value, clamped to [−1, 1].
/// </summary>
internal static class Autocorrelation
{
    /// <summary>Autocorrelations at lags 0..<paramref name="maxLag"/> (capped at n − 1). The series must have no NaN.</summary>
    public static double[] Compute(ReadOnlySpan<double> x, int maxLag)
    {
        int n = x.Length;
        maxLag = Math.Min(maxLag, n - 1);
        double mean = AccurateSum.Mean(x);
        var centred = new double[n];
        for (int i = 0; i < n; i++) centred[i] = x[i] - mean;
        var acf = new double[maxLag + 1];
        for (int lag = 0; lag <= maxLag; lag++)
        {
            double sum = 0;
            for (int i = 0; i < n - lag; i++) sum += centred[i + lag] * centred[i];
            acf[lag] = sum / n;
        }
        double se = Math.Sqrt(acf[0]);
        for (int lag = 0; lag <= maxLag; lag++)
        {
            double a = acf[lag] / (se * se);
            acf[lag] = a > 1 ? 1 : a < -1 ? -1 : a;
        }
        return acf;
    }
}
