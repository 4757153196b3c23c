namespace Forecast.Core.Evaluation;

/// <summary>The MASE denominator: the in-sample mean absolute error of the seasonal naive forecast.</summary>
public static class SeasonalScale
{
    /// <summary>
    /// mean_{t=m+1..n} |x_t - x_{t-m}| over the training part x (M4 MASE, GluonTS <c>calculate_seasonal_error</c>);
    /// m = 1 when n &lt;= m. Pairs with a missing value are skipped; NaN when no pair is left.
    /// </summary>
    public static double Of(ReadOnlySpan<double> training, int seasonLength)
    {
        int m = training.Length > seasonLength ? seasonLength : 1;
        double sum = 0;
        int count = 0;
        for (int t = m; t < training.Length; t++)
        {
            double d = Math.Abs(training[t] - training[t - m]);
            if (!double.IsFinite(d)) continue;
            sum += d;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
