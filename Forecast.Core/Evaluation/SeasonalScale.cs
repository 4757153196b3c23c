using System.Numerics;

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
        long count = 0;
        int t = m;
        if (Vector.IsHardwareAccelerated && training.Length - m >= Vector<double>.Count)
        {
            // SIMD over pairs (x_t, x_{t-m}); a difference is finite unless one of the pair is missing or infinite.
            var sums = Vector<double>.Zero;
            var counts = Vector<long>.Zero;
            var infinity = new Vector<double>(double.PositiveInfinity);
            for (; t <= training.Length - Vector<double>.Count; t += Vector<double>.Count)
            {
                var d = Vector.Abs(new Vector<double>(training[t..]) - new Vector<double>(training[(t - m)..]));
                var finite = Vector.LessThan(d, infinity); // false for NaN and ±inf
                sums += Vector.ConditionalSelect(finite, d, Vector<double>.Zero);
                counts -= finite;
            }
            sum = Vector.Sum(sums);
            count = Vector.Sum(counts);
        }
        for (; t < training.Length; t++)
        {
            double d = Math.Abs(training[t] - training[t - m]);
            if (!double.IsFinite(d)) continue;
            sum += d;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
