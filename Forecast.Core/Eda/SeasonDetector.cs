using Forecast.Statistical.Decomposition;

namespace Forecast.Core.Eda;

/// <summary>
/// Candidate season lengths from the ACF of the series less a wide loess trend (a trend keeps the ACF high at every
/// lag): lags ≥ 2 that are local maxima above the 95% white-noise band and above 0.1. Fundamental
/// peaks (no smaller, comparably strong peak divides them) come first, strongest first; a multiple k·p (k ≥ 3) of a peak p is
/// reported after them only when it stands clearly above its neighbouring multiples (the weekly 168 of hourly data,
/// whose ACF is higher than at 144 and 192), since 24 and 36 are otherwise just the 12-cycle again.
/// </summary>
public static class SeasonDetector
{
    public const int MaxReported = 3;

    /// <summary>A smaller peak p explains a peak at a multiple of p only if its ACF is at least this share of the multiple's (a faint 8-lag ripple does not make 48 a harmonic).</summary>
    private const double HarmonicShare = 0.5;

    /// <summary>The smallest ACF peak taken as a season.</summary>
    private const double MinPeak = 0.1;

    /// <summary>How far a multiple k·p must stand above the ACF at (k−1)·p and (k+1)·p to count as a season of its own.</summary>
    private const double MinHarmonicMargin = 0.05;

    public static IReadOnlyList<int> Detect(ReadOnlySpan<double> values, int maxLag)
    {
        int n = values.Length;
        if (n < 8) return [];
        // A trend keeps the ACF high at every lag and hides the peaks: remove a loess trend whose window (over
        // twice the longest lag examined) is too wide to follow any season up to maxLag.
        int window = Math.Max(7, 2 * maxLag + 1);
        if (window % 2 == 0) window++;
        var trend = new double[n];
        StlLoess.Smooth(values, n, window, 1, Math.Max(1, window / 10), false, default, trend, new double[n]);
        var detrended = new double[n];
        for (int i = 0; i < n; i++) detrended[i] = values[i] - trend[i];
        var acf = Autocorrelation.Compute(detrended, maxLag);
        // Significant (above the 95% band) and not negligible: long series make the band so narrow that a
        // correlation of 0.05 would pass it.
        double band = Autocorrelation.ConfidenceBand(n);
        double threshold = Math.Max(band, MinPeak);
        double margin = Math.Max(band, MinHarmonicMargin);

        var peaks = new List<(int Lag, double Value)>();
        for (int k = 2; k < acf.Length - 1; k++)
            if (acf[k] > threshold && acf[k] > acf[k - 1] && acf[k] >= acf[k + 1]) peaks.Add((k, acf[k]));

        var byStrength = peaks.OrderByDescending(p => p.Value).Select(p => p.Lag).ToArray();
        var fundamentals = byStrength.Where(lag => !peaks.Any(p => p.Lag < lag && lag % p.Lag == 0 && p.Value >= HarmonicShare * acf[lag])).ToList();
        var standingOut = byStrength.Where(lag => !fundamentals.Contains(lag) && fundamentals.Any(f =>
            lag % f == 0 && lag / f >= 3 && acf[lag] > acf[lag - f] + margin && (lag + f >= acf.Length || acf[lag] > acf[lag + f] + margin)));
        return [.. fundamentals.Concat(standingOut).Take(MaxReported)];
    }
}
