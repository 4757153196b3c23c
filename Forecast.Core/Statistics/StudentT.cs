using Forecast.Statistical;

namespace Forecast.Core.Statistics;

/// <summary>Student's t distribution, for the mean model's prediction interval (R forecast <c>meanf</c> uses <c>qt</c>).</summary>
public static class StudentT
{
    /// <summary>P(T &lt;= t) for <paramref name="degreesOfFreedom"/> &gt; 0, via the regularised incomplete beta function.</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        double x = degreesOfFreedom / (degreesOfFreedom + t * t);
        double tail = 0.5 * IncompleteBeta.Regularized(degreesOfFreedom / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>
    /// The p-quantile (R's <c>qt(p, df)</c>): Newton iterations on <see cref="Cdf"/> started from the normal quantile,
    /// with bisection as a safeguard, to about 1e-12.
    /// </summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        if (double.IsNaN(p) || p <= 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must be in (0, 1).");
        if (!(degreesOfFreedom > 0)) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Degrees of freedom must be positive.");
        if (p == 0.5) return 0;
        if (p < 0.5) return -Quantile(1 - p, degreesOfFreedom);
        // Bracket [0, hi] with Cdf(hi) >= p, then Newton with bisection fallback.
        double lo = 0, hi = Math.Max(1, StandardNormal.Quantile(p));
        while (Cdf(hi, degreesOfFreedom) < p) { lo = hi; hi *= 2; }
        double t = 0.5 * (lo + hi);
        for (int i = 0; i < 200; i++)
        {
            double f = Cdf(t, degreesOfFreedom) - p;
            if (Math.Abs(f) < 1e-15) break;
            if (f > 0) hi = t; else lo = t;
            double next = t - f / Density(t, degreesOfFreedom);
            t = next > lo && next < hi ? next : 0.5 * (lo + hi);
            if (hi - lo < 1e-13 * Math.Max(1, hi)) break;
        }
        return t;
    }

    private static double Density(double t, double v) =>
        Math.Exp(IncompleteBeta.LogGamma((v + 1) / 2) - IncompleteBeta.LogGamma(v / 2)) / Math.Sqrt(v * Math.PI)
        * Math.Pow(1 + t * t / v, -(v + 1) / 2);
}
