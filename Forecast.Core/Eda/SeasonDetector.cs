namespace Forecast.Core.Eda;

/// <summary>
/// Candidate season lengths from the ACF of the first differences (differencing removes the trend that otherwise
/// keeps the ACF high at every lag): lags ≥ 2 that are local maxima above the 95% white-noise band. Fundamental
/// peaks (no smaller, comparably strong peak divides them) come first, strongest first; a multiple k·p (k ≥ 3) of a peak p is
/// reported after them only when it stands above its neighbouring multiples (the weekly 168 of hourly data, whose
/// ACF is higher than at 144 and 192), since 24 and 36 are otherwise just the 12-cycle again.
/// </summary>
public static class SeasonDetector
{
    public const int MaxReported = 3;

    /// <summary>A smaller peak p explains a peak at a multiple of p only if its ACF is at least this share of the multiple's (a faint 8-lag ripple does not make 48 a harmonic).</summary>
    private const double HarmonicShare = 0.5;

    public static IReadOnlyList<int> Detect(ReadOnlySpan<double> values, int maxLag)
    {
        if (values.Length < 8) return [];
        var differences = new double[values.Length - 1];
        for (int i = 1; i < values.Length; i++) differences[i - 1] = values[i] - values[i - 1];
        var acf = Autocorrelation.Compute(differences, maxLag);
        double band = Autocorrelation.ConfidenceBand(differences.Length);

        var peaks = new List<(int Lag, double Value)>();
        for (int k = 2; k < acf.Length - 1; k++)
            if (acf[k] > band && acf[k] > acf[k - 1] && acf[k] >= acf[k + 1]) peaks.Add((k, acf[k]));

        var byStrength = peaks.OrderByDescending(p => p.Value).Select(p => p.Lag).ToArray();
        var fundamentals = byStrength.Where(lag => !peaks.Any(p => p.Lag < lag && lag % p.Lag == 0 && p.Value >= HarmonicShare * acf[lag])).ToList();
        var standingOut = byStrength.Where(lag => !fundamentals.Contains(lag) && fundamentals.Any(f =>
            lag % f == 0 && lag / f >= 3 && acf[lag] > acf[lag - f] && (lag + f >= acf.Length || acf[lag] > acf[lag + f])));
        return [.. fundamentals.Concat(standingOut).Take(MaxReported)];
    }
}
