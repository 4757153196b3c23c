namespace Forecast.Statistical.Numerics;

/// <summary>
/// Ordinary least squares by Householder QR, as R's <c>lm()</c>/<c>lsfit()</c> solve it (LINPACK dqrdc2/dqrsl): the
/// coefficients of y on the columns of a design matrix, for the small regressions the models need (initial ETS states,
/// Theta's drift, the OCSB test).
/// </summary>
internal static class LeastSquares
{
    /// <summary>
    /// Coefficients b minimising |y − X·b|; <paramref name="columns"/>[j] is column j of X (all as long as y).
    /// Returns null when X is rank deficient (a column is, to rounding, a combination of the others).
    /// </summary>
    public static double[]? Fit(IReadOnlyList<double[]> columns, ReadOnlySpan<double> y)
    {
        int n = y.Length, p = columns.Count;
        if (p == 0 || n < p) return null;
        var a = new double[p][];
        for (int j = 0; j < p; j++)
        {
            if (columns[j].Length != n) throw new ArgumentException("Every column must be as long as y.", nameof(columns));
            a[j] = (double[])columns[j].Clone();
        }
        var qty = y.ToArray();
        var diag = new double[p];
        var norms = new double[p];
        for (int j = 0; j < p; j++) norms[j] = Norm(a[j], 0);

        for (int k = 0; k < p; k++)
        {
            double norm = Norm(a[k], k);
            // dqrdc2's tolerance: a column whose remaining norm is below 1e-7 of its original norm is collinear.
            if (norm == 0 || norm < 1e-7 * norms[k]) return null;
            double alpha = a[k][k] > 0 ? -norm : norm;
            // Householder vector v = x - alpha e_k, stored in a[k][k..].
            a[k][k] -= alpha;
            double vnorm2 = 0;
            for (int i = k; i < n; i++) vnorm2 += a[k][i] * a[k][i];
            for (int j = k + 1; j < p; j++) Reflect(a[k], vnorm2, a[j], k);
            Reflect(a[k], vnorm2, qty, k);
            diag[k] = alpha;
        }
        // Back-substitute R b = Q'y.
        var b = new double[p];
        for (int k = p - 1; k >= 0; k--)
        {
            double s = qty[k];
            for (int j = k + 1; j < p; j++) s -= a[j][k] * b[j];
            b[k] = s / diag[k];
        }
        return b;
    }

    /// <summary>R's <c>lsfit(x, y)$coefficients</c>: intercept and slope of y on x.</summary>
    public static (double Intercept, double Slope) Line(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var ones = new double[x.Length];
        Array.Fill(ones, 1.0);
        var b = Fit([ones, x.ToArray()], y) ?? throw new ArgumentException("x must not be constant.", nameof(x));
        return (b[0], b[1]);
    }

    private static double Norm(double[] v, int from)
    {
        double scale = 0, ssq = 1;
        for (int i = from; i < v.Length; i++)
        {
            if (v[i] == 0) continue;
            double abs = Math.Abs(v[i]);
            if (scale < abs)
            {
                ssq = 1 + ssq * (scale / abs) * (scale / abs);
                scale = abs;
            }
            else
            {
                ssq += (abs / scale) * (abs / scale);
            }
        }
        return scale * Math.Sqrt(ssq);
    }

    /// <summary>x ← (I − 2 v v'/v'v) x on rows k..n−1.</summary>
    private static void Reflect(double[] v, double vnorm2, double[] x, int k)
    {
        if (vnorm2 == 0) return;
        double dot = 0;
        for (int i = k; i < x.Length; i++) dot += v[i] * x[i];
        double f = 2 * dot / vnorm2;
        for (int i = k; i < x.Length; i++) x[i] -= f * v[i];
    }
}
