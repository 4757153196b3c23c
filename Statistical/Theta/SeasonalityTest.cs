using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Theta;

/// <summary>
/// The seasonality test of R forecast's <c>thetaf()</c> (Assimakopoulos and Nikolopoulos 2000, as in the M3 Theta
/// entry): seasonal when the lag-m autocorrelation exceeds its 90% two-sided bound under Bartlett's formula,
/// |r_m| / √((1 + 2 Σ_{k&lt;m} r_k²)/n) &gt; z_0.95. Only tried for m &gt; 1, more than two seasons and non-constant data.
/// </summary>
internal static class SeasonalityTest
{
    /// <param name="allowAnyLength">statsforecast's variant of the rule: also exactly two seasons (n ≥ 2m rather than n &gt; 2m).</param>
    public static bool IsSeasonal(ReadOnlySpan<double> x, int m, double level = 0.95, bool allowAnyLength = false)
    {
        int n = x.Length;
        if (m <= 1 || (allowAnyLength ? n < 2 * m : n <= 2 * m) || SeriesGuards.IsConstant(x)) return false;
        var r = Autocorrelation.Compute(x, m);
        var squares = new double[m - 1];
        for (int k = 1; k < m; k++) squares[k - 1] = r[k] * r[k];
        double sum = AccurateSum.Sum(squares);
        double stat = Math.Sqrt((1 + 2 * sum) / n);
        return Math.Abs(r[m]) / stat > StandardNormal.Quantile(level);
    }
}
