using Forecast.Statistical.Decomposition;
using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Arima;

/// <summary>
/// How many differences auto.arima takes, as R forecast 8.20 decides by default (unitRoot.R): <c>ndiffs</c> repeats the
/// KPSS level-stationarity test (urca's <c>ur.kpss(type = "mu")</c>, lag trunc(3√n/13), p-value interpolated in the
/// 10/5/2.5/1% critical values) at 5% until stationary; <c>nsdiffs</c> takes one seasonal difference when the
/// seasonal strength of an STL decomposition (<c>seas.heuristic</c>: 1 − Var(R)/Var(R + S), forecast's <c>mstl</c>
/// with s.window 11) exceeds 0.64.
/// </summary>
internal static class UnitRootTests
{
    private static readonly double[] KpssCritical = [0.347, 0.463, 0.574, 0.739];
    private static readonly double[] KpssLevels = [0.10, 0.05, 0.025, 0.01];

    /// <summary>ndiffs(x, test = "kpss", max.d).</summary>
    public static int RegularDifferences(ReadOnlySpan<double> series, int maxD = 2, double alpha = 0.05)
    {
        var x = NonMissing(series);
        int d = 0;
        if (SeriesGuards.IsConstant(x)) return d;
        bool doDiff = KpssPValue(x) < alpha;
        while (doDiff && d < maxD)
        {
            d++;
            x = ArimaEstimation.Diff(x, 1, 1);
            if (SeriesGuards.IsConstant(x)) return d;
            doDiff = KpssPValue(x) < alpha;
        }
        return d;
    }

    /// <summary>nsdiffs(x, test = "seas", max.D = 1) for season length m ≥ 2.</summary>
    public static int SeasonalDifferences(ReadOnlySpan<double> series, int m)
    {
        var x = series.ToArray();
        if (SeriesGuards.IsConstant(x)) return 0;
        if (m >= x.Length) return 0;
        if (!(SeasonalStrength(x, m) > 0.64)) return 0;
        // max.D = 1: one seasonal difference (a constant result ends the search as well).
        return 1;
    }

    /// <summary>The KPSS statistic for level stationarity with a Bartlett long-run variance (urca ur.kpss, type "mu").</summary>
    public static double KpssStatistic(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        int lmax = (int)Math.Truncate(3 * Math.Sqrt(n) / 13);
        double mean = AccurateSum.Mean(y);
        var res = new double[n];
        for (int i = 0; i < n; i++) res[i] = y[i] - mean;
        // S <- cumsum(res) (long double in R); sum(S^2) / n^2.
        var s2 = new double[n];
        double hi = 0, lo = 0;
        for (int i = 0; i < n; i++)
        {
            double s = hi + res[i];
            double bp = s - hi;
            lo += (hi - (s - bp)) + (res[i] - bp);
            hi = s;
            double cum = hi + lo;
            s2[i] = cum * cum;
        }
        double nominator = AccurateSum.Sum(s2) / ((double)n * n);
        var squares = new double[n];
        for (int i = 0; i < n; i++) squares[i] = res[i] * res[i];
        double variance = AccurateSum.Sum(squares) / n;
        double denominator = variance;
        if (lmax > 0)
        {
            double sum = 0;
            for (int lag = 1; lag <= lmax; lag++)
            {
                double cov = 0;
                for (int t = lag; t < n; t++) cov += res[t] * res[t - lag];
                sum += (1 - lag / (lmax + 1.0)) * cov;
            }
            denominator = variance + 2.0 / n * sum;
        }
        return nominator / denominator;
    }

    /// <summary>approx(critical values, levels, xout = statistic, rule = 2): the p-value R forecast compares with alpha.</summary>
    public static double KpssPValue(ReadOnlySpan<double> y)
    {
        double stat = KpssStatistic(y);
        if (double.IsNaN(stat)) return double.NaN;
        if (stat <= KpssCritical[0]) return KpssLevels[0];
        if (stat >= KpssCritical[^1]) return KpssLevels[^1];
        for (int i = 0; i < KpssCritical.Length - 1; i++)
        {
            if (stat <= KpssCritical[i + 1])
            {
                double f = (stat - KpssCritical[i]) / (KpssCritical[i + 1] - KpssCritical[i]);
                return KpssLevels[i] + f * (KpssLevels[i + 1] - KpssLevels[i]);
            }
        }
        return KpssLevels[^1];
    }

    /// <summary>
    /// seas.heuristic: max(0, min(1, 1 − Var(remainder)/Var(remainder + seasonal))) of forecast's <c>mstl(x)</c>
    /// for a single season (one STL with s.window 11, s.degree 0, R's default windows and jumps); missing values are
    /// interpolated linearly first (mstl's na.interp for non-seasonal gaps).
    /// </summary>
    public static double SeasonalStrength(double[] x, int m)
    {
        var filled = InterpolateMissing(x);
        var stl = Stl.Decompose(filled, m, new StlOptions { SeasonalWindow = 11, SeasonalDegree = 0 });
        var remainder = new double[x.Length];
        var withSeason = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            // mstl: deseas <- x - seasonal; remainder <- deseas - trend, with the original NAs put back.
            double deseason = filled[i] - stl.Seasonal[i];
            remainder[i] = double.IsNaN(x[i]) ? double.NaN : deseason - stl.Trend[i];
            withSeason[i] = remainder[i] + stl.Seasonal[i];
        }
        double vare = Variance(remainder);
        return Math.Max(0, Math.Min(1, 1 - vare / Variance(withSeason)));
    }

    /// <summary>R's <c>var(x, na.rm = TRUE)</c>.</summary>
    private static double Variance(double[] x)
    {
        var values = x.Where(v => !double.IsNaN(v)).ToArray();
        if (values.Length < 2) return double.NaN;
        double mean = AccurateSum.Mean(values);
        var squares = values.Select(v => (v - mean) * (v - mean)).ToArray();
        return AccurateSum.Sum(squares) / (values.Length - 1);
    }

    private static double[] InterpolateMissing(double[] x)
    {
        if (!x.Any(double.IsNaN)) return x;
        var result = (double[])x.Clone();
        int n = x.Length;
        int last = -1;
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(x[i])) continue;
            if (last < 0) for (int j = 0; j < i; j++) result[j] = x[i];
            else
                for (int j = last + 1; j < i; j++) result[j] = x[last] + (x[i] - x[last]) * (j - last) / (i - last);
            last = i;
        }
        for (int j = last + 1; j < n; j++) result[j] = x[last];
        return result;
    }

    private static double[] NonMissing(ReadOnlySpan<double> x)
    {
        var list = new List<double>(x.Length);
        foreach (double v in x) if (!double.IsNaN(v)) list.Add(v);
        return [.. list];
    }
}
