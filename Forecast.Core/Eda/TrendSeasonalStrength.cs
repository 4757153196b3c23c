using Forecast.Statistical.Decomposition;

namespace Forecast.Core.Eda;

/// <summary>
/// Strength of trend and seasonality from a decomposition y = T + S + R (Wang, Smith and Hyndman 2006; Hyndman and
/// Athanasopoulos, Forecasting: Principles and Practice, 3rd ed., section 4.3): F_T = max(0, 1 − Var(R)/Var(T+R)),
/// F_S = max(0, 1 − Var(R)/Var(S+R)); 0 means none, 1 means the component explains everything but noise.
/// </summary>
public static class TrendSeasonalStrength
{
    public static double Trend(StlDecomposition d) => Strength(d.Remainder, d.Trend);

    public static double Seasonal(StlDecomposition d) => Strength(d.Remainder, d.Seasonal);

    /// <summary>The strength of <paramref name="component"/> against the remainder; 0 when component plus remainder does not vary.</summary>
    public static double Strength(double[] remainder, double[] component)
    {
        var sum = new double[remainder.Length];
        for (int i = 0; i < sum.Length; i++) sum[i] = component[i] + remainder[i];
        double total = Variance(sum);
        return total > 0 ? Math.Max(0, 1 - Variance(remainder) / total) : 0;
    }

    private static double Variance(double[] x)
    {
        double mean = x.Average();
        double s = 0;
        foreach (double v in x) s += (v - mean) * (v - mean);
        return s / x.Length;
    }
}
