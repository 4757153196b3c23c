namespace Forecast.Statistical.Optimization;

/// <summary>
/// statsforecast's bounded Nelder-Mead (nelder_mead.h: <c>NelderMead</c>): points clamped to [lower, upper], the first
/// simplex from relative steps, adaptive coefficients (Gao and Han 2012), stopping when the standard deviation of the
/// simplex's values falls below <c>tolStd</c>. The optimised and dynamic Theta models are fitted with it.
/// </summary>
internal static class BoundedNelderMead
{
    public static (double[] X, double Value) Minimize(Objective f, double[] x, double[] lower, double[] upper,
        double initStep = 0.05, double zeroPerturbation = 1e-4, int maxIter = 1000, double tolStd = 1e-4)
    {
        int n = x.Length;
        double alpha = 1.0;
        double gamma = 1.0 + 2.0 / n;
        double rho = 0.75 - 1.0 / (2 * n);
        double sigma = 1.0 - 1.0 / n;
        var x0 = Clamp(x, lower, upper);
        var simplex = new double[n + 1][];
        for (int i = 0; i <= n; i++) simplex[i] = (double[])x0.Clone();
        for (int i = 0; i < n; i++)
        {
            double val = simplex[i][i];
            val = val == 0 ? zeroPerturbation : val * (1.0 + initStep);
            simplex[i][i] = Math.Clamp(val, lower[i], upper[i]);
        }
        var fs = new double[n + 1];
        for (int i = 0; i <= n; i++) fs[i] = f(simplex[i]);
        var order = new int[n + 1];
        int best = 0;
        for (int iter = 0; iter < maxIter; iter++)
        {
            for (int i = 0; i <= n; i++) order[i] = i;
            Array.Sort(order, (a, b) => fs[a].CompareTo(fs[b]));
            best = order[0];
            int worst = order[n], secondWorst = order[n - 1];
            if (StandardDeviation(fs) < tolStd) break;

            var xo = new double[n];
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int i = 0; i <= n; i++) sum += simplex[i][j];
                xo[j] = (sum - simplex[worst][j]) / n;
            }
            var xr = Clamp(Combine(xo, alpha, xo, simplex[worst]), lower, upper);
            double fr = f(xr);
            if (fs[best] <= fr && fr < fs[secondWorst])
            {
                simplex[worst] = xr;
                fs[worst] = fr;
                continue;
            }
            if (fr < fs[best])
            {
                var xe = Clamp(Combine(xo, gamma, xr, xo), lower, upper);
                double fe = f(xe);
                if (fe < fr) { simplex[worst] = xe; fs[worst] = fe; }
                else { simplex[worst] = xr; fs[worst] = fr; }
                continue;
            }
            if (fs[secondWorst] <= fr && fr < fs[worst])
            {
                var xoc = Clamp(Combine(xo, rho, xr, xo), lower, upper);
                double foc = f(xoc);
                if (foc <= fr) { simplex[worst] = xoc; fs[worst] = foc; continue; }
            }
            else
            {
                var xic = Clamp(Combine(xo, -rho, xr, xo), lower, upper);
                double fic = f(xic);
                if (fic < fs[worst]) { simplex[worst] = xic; fs[worst] = fic; continue; }
            }
            // Shrink towards the best point.
            for (int i = 0; i <= n; i++)
            {
                if (i == best) continue;
                for (int j = 0; j < n; j++) simplex[i][j] = simplex[best][j] + sigma * (simplex[i][j] - simplex[best][j]);
                simplex[i] = Clamp(simplex[i], lower, upper);
                fs[i] = f(simplex[i]);
            }
        }
        return (simplex[best], fs[best]);
    }

    /// <summary>a + c·(b − d).</summary>
    private static double[] Combine(double[] a, double c, double[] b, double[] d)
    {
        var r = new double[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = a[i] + c * (b[i] - d[i]);
        return r;
    }

    private static double[] Clamp(double[] x, double[] lower, double[] upper)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = Math.Min(Math.Max(x[i], lower[i]), upper[i]);
        return r;
    }

    private static double StandardDeviation(double[] x)
    {
        double mean = x.Average();
        double ss = 0;
        foreach (double v in x) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / x.Length);
    }
}
