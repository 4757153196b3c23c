namespace Forecast.Statistical.Decomposition;

/// <summary>
/// Seasonal-trend decomposition by loess (Cleveland et al. 1990, J. Official Statistics 6(1)), ported from netlib
/// stl.f as statsmodels' <c>STL</c> and R's <c>stl</c> are: an inner loop (detrend, smooth each cycle-subseries,
/// remove its low-pass, deseasonalise, smooth the trend) inside an outer loop of robustness reweighting.
/// </summary>
public static class Stl
{
    public static StlDecomposition Decompose(ReadOnlySpan<double> y, int period, StlOptions? options = null)
    {
        options ??= new StlOptions();
        int n = y.Length;
        if (period < 2) throw new ArgumentOutOfRangeException(nameof(period), period, "STL needs a period of at least 2.");
        if (n < 2 * period) throw new ArgumentException($"STL needs at least two full periods ({2 * period} points); the series has {n}.", nameof(y));
        foreach (double v in y)
            if (!double.IsFinite(v)) throw new ArgumentException("STL needs finite values: fill missing values first.", nameof(y));

        // stl.f / R stl: windows are odd and at least 3; trend window from the seasonal one so that the trend
        // smoother does not absorb seasonality (Cleveland et al. 1990, section 3.5).
        int ns = Odd(Math.Max(3, options.SeasonalWindow));
        int nt = Odd(Math.Max(3, options.TrendWindow ?? (int)Math.Ceiling(1.5 * period / (1 - 1.5 / ns))));
        int nl = Odd(Math.Max(3, options.LowPassWindow ?? period));
        int inner = Math.Max(1, options.InnerIterations ?? (options.Robust ? 1 : 2));
        int outer = Math.Max(0, options.OuterIterations ?? (options.Robust ? 15 : 0));
        // Jumps: by default fit every ceil(window/10)-th point and interpolate (R stl's s.jump, t.jump, l.jump).
        int nsJump = Math.Max(1, options.SeasonalJump ?? (int)Math.Ceiling(ns / 10.0));
        int ntJump = Math.Max(1, options.TrendJump ?? (int)Math.Ceiling(nt / 10.0));
        int nlJump = Math.Max(1, options.LowPassJump ?? (int)Math.Ceiling(nl / 10.0));

        var trend = new double[n];
        var seasonal = new double[n];
        var weights = new double[n];
        var work = new Work(n, period);
        bool useWeights = false;
        for (int k = 0; ; k++)
        {
            for (int pass = 0; pass < inner; pass++)
                InnerPass(y, period, ns, nt, nl, options, nsJump, ntJump, nlJump, useWeights, weights, seasonal, trend, work);
            if (k >= outer) break;
            for (int i = 0; i < n; i++) work.Fit[i] = trend[i] + seasonal[i];
            RobustnessWeights(y, work.Fit, weights);
            useWeights = true;
        }

        var remainder = new double[n];
        for (int i = 0; i < n; i++) remainder[i] = y[i] - trend[i] - seasonal[i];
        return new StlDecomposition(trend, seasonal, remainder);
    }

    /// <summary>stl.f <c>stlstp</c>: one pass of the inner loop (steps 1-6 of Cleveland et al. 1990, section 2.2).</summary>
    private static void InnerPass(ReadOnlySpan<double> y, int np, int ns, int nt, int nl, StlOptions o, int nsJump, int ntJump, int nlJump,
        bool useWeights, double[] rw, double[] season, double[] trend, Work w)
    {
        int n = y.Length;
        for (int i = 0; i < n; i++) w.Detrended[i] = y[i] - trend[i];
        CycleSubseries(w.Detrended, n, np, ns, o.SeasonalDegree, nsJump, useWeights, rw, w.Cycle, w);
        LowPass(w.Cycle, n + 2 * np, np, w.LowPass, w);
        StlLoess.Smooth(w.LowPass, n, nl, o.LowPassDegree, nlJump, false, rw, w.Detrended, w.Scratch);
        for (int i = 0; i < n; i++) season[i] = w.Cycle[np + i] - w.Detrended[i];
        for (int i = 0; i < n; i++) w.Detrended[i] = y[i] - season[i];
        StlLoess.Smooth(w.Detrended, n, nt, o.TrendDegree, ntJump, useWeights, rw, trend, w.Scratch);
    }

    /// <summary>
    /// stl.f <c>stlss</c>: smooths each cycle-subseries (all Januaries, all Februaries, ...) and extends it by one
    /// point at each end, so the result has n + 2·period values.
    /// </summary>
    private static void CycleSubseries(double[] y, int n, int np, int ns, int degree, int jump, bool useWeights, double[] rw, double[] cycle, Work w)
    {
        for (int j = 1; j <= np; j++)
        {
            int k = (n - j) / np + 1;
            for (int i = 1; i <= k; i++) w.Sub[i - 1] = y[(i - 1) * np + j - 1];
            if (useWeights) for (int i = 1; i <= k; i++) w.SubWeights[i - 1] = rw[(i - 1) * np + j - 1];
            var smoothed = w.SubSmoothed.AsSpan(0, k + 2);
            StlLoess.Smooth(w.Sub, k, ns, degree, jump, useWeights, w.SubWeights, smoothed[1..], w.Scratch);
            int nright = Math.Min(ns, k);
            smoothed[0] = StlLoess.Estimate(w.Sub, k, ns, degree, 0, 1, nright, w.Scratch, useWeights, w.SubWeights, out double before) ? before : smoothed[1];
            int nleft = Math.Max(1, k - ns + 1);
            smoothed[k + 1] = StlLoess.Estimate(w.Sub, k, ns, degree, k + 1, nleft, k, w.Scratch, useWeights, w.SubWeights, out double after) ? after : smoothed[k];
            for (int m = 1; m <= k + 2; m++) cycle[(m - 1) * np + j - 1] = smoothed[m - 1];
        }
    }

    /// <summary>stl.f <c>stlfts</c>: moving averages of length period, period and 3 (the low-pass filter), n + 2·period in, n out.</summary>
    private static void LowPass(double[] x, int n, int np, double[] result, Work w)
    {
        MovingAverage(x, n, np, w.Average1);
        MovingAverage(w.Average1, n - np + 1, np, w.Average2);
        MovingAverage(w.Average2, n - 2 * np + 2, 3, result);
    }

    /// <summary>stl.f <c>stlma</c>.</summary>
    private static void MovingAverage(double[] x, int n, int len, double[] average)
    {
        int newn = n - len + 1;
        double v = 0;
        for (int i = 0; i < len; i++) v += x[i];
        average[0] = v / len;
        for (int j = 1; j < newn; j++)
        {
            v += x[j + len - 1] - x[j - 1];
            average[j] = v / len;
        }
    }

    /// <summary>stl.f <c>stlrwt</c>: bisquare weights of the remainder scaled by 6 × its median absolute value.</summary>
    private static void RobustnessWeights(ReadOnlySpan<double> y, double[] fit, double[] rw)
    {
        int n = y.Length;
        var r = new double[n];
        for (int i = 0; i < n; i++) r[i] = Math.Abs(y[i] - fit[i]);
        var sorted = (double[])r.Clone();
        Array.Sort(sorted);
        int mid1 = n / 2 + 1, mid2 = n - mid1 + 1;
        double cmad = 3.0 * (sorted[mid1 - 1] + sorted[mid2 - 1]);
        double c9 = 0.999 * cmad, c1 = 0.001 * cmad;
        for (int i = 0; i < n; i++)
        {
            if (r[i] <= c1) rw[i] = 1;
            else if (r[i] <= c9)
            {
                double u = 1 - (r[i] / cmad) * (r[i] / cmad);
                rw[i] = u * u;
            }
            else rw[i] = 0;
        }
    }

    private static int Odd(int w) => w % 2 == 0 ? w + 1 : w;

    /// <summary>The work arrays of stl.f's <c>work(n+2*np, 5)</c>, named by what they hold.</summary>
    private sealed class Work(int n, int np)
    {
        public readonly double[] Detrended = new double[n];
        public readonly double[] Cycle = new double[n + 2 * np];
        public readonly double[] LowPass = new double[n];
        public readonly double[] Average1 = new double[n + np + 1];
        public readonly double[] Average2 = new double[n + 2];
        public readonly double[] Fit = new double[n];
        public readonly double[] Scratch = new double[n + 2 * np];
        public readonly double[] Sub = new double[n / np + 2];
        public readonly double[] SubWeights = new double[n / np + 2];
        public readonly double[] SubSmoothed = new double[n / np + 4];
    }
}
