using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Decomposition;

/// <summary>
/// Classical decomposition by moving averages, as R's <c>decompose()</c> (stats, HoltWinters.R): a centred 2×m (even m)
/// or m (odd m) moving-average trend, the de-trended series averaged per season position and normalised (mean 0 for
/// additive, mean 1 for multiplicative). R forecast uses it for ETS initial seasonal states and for Theta's seasonal
/// adjustment.
/// </summary>
internal static class ClassicalDecomposition
{
    /// <summary>
    /// The seasonal component, one value per observation (figure repeated from the first observation); the series
    /// needs at least two full periods of non-missing values (R stops otherwise).
    /// </summary>
    public static double[] Seasonal(ReadOnlySpan<double> x, int m, bool multiplicative)
    {
        int l = x.Length;
        if (m <= 1) throw new ArgumentOutOfRangeException(nameof(m), m, "decompose needs a seasonal period of at least 2.");
        int present = 0;
        foreach (double v in x) if (!double.IsNaN(v)) present++;
        if (present < 2 * m) throw new ArgumentException("The series has fewer than two periods.", nameof(x));

        var trend = MovingAverageTrend(x, m);
        var season = new double[l];
        for (int i = 0; i < l; i++) season[i] = multiplicative ? x[i] / trend[i] : x[i] - trend[i];

        var figure = new double[m];
        var positions = new List<double>(l / m + 2);
        for (int i = 0; i < m; i++)
        {
            positions.Clear();
            // R: mean(season[index + i], na.rm = TRUE) with index = seq(1, l, by = m) - 1; indices past the end are NA.
            for (int t = i; t < l; t += m) positions.Add(season[t]);
            figure[i] = AccurateSum.MeanIgnoringNaN(positions.ToArray());
        }
        double center = AccurateSum.Mean(figure);
        for (int i = 0; i < m; i++) figure[i] = multiplicative ? figure[i] / center : figure[i] - center;

        var seasonal = new double[l];
        for (int t = 0; t < l; t++) seasonal[t] = figure[t % m];
        return seasonal;
    }

    /// <summary>
    /// R's <c>filter(x, f)</c> with the default two-sided convolution (filter.c: <c>cfilter</c>): weights
    /// (0.5, 1, …, 1, 0.5)/m for even m, 1/m for odd m; NaN where the window runs off either end or meets a NaN.
    /// </summary>
    public static double[] MovingAverageTrend(ReadOnlySpan<double> x, int m)
    {
        double[] filter;
        if (m % 2 == 0)
        {
            filter = new double[m + 1];
            filter[0] = filter[m] = 0.5 / m;
            for (int j = 1; j < m; j++) filter[j] = 1.0 / m;
        }
        else
        {
            filter = new double[m];
            Array.Fill(filter, 1.0 / m);
        }
        int nx = x.Length, nf = filter.Length, nshift = nf / 2;
        var result = new double[nx];
        for (int i = 0; i < nx; i++)
        {
            if (i + nshift - (nf - 1) < 0 || i + nshift >= nx)
            {
                result[i] = double.NaN;
                continue;
            }
            double z = 0;
            bool ok = true;
            for (int j = Math.Max(0, nshift + i - nx); j < Math.Min(nf, i + nshift + 1); j++)
            {
                double tmp = x[i + nshift - j];
                if (double.IsNaN(tmp)) { ok = false; break; }
                z += filter[j] * tmp;
            }
            result[i] = ok ? z : double.NaN;
        }
        return result;
    }
}
