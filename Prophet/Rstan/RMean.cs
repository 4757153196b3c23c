namespace Forecast.Prophet.Rstan;

/// <summary>
/// R's <c>mean()</c> of doubles (src/main/summary.c): the sum in long double, divided by n, then one refinement
/// pass adding the mean of the residuals, also in long double, rounded to double at the end. R prophet's
/// flat_growth_init takes m = mean(y_scaled) this way; a plain double mean can differ in the last bits, and the
/// R-compatible fit needs prophet's init exactly.
/// </summary>
internal static class RMean
{
    public static double Of(ReadOnlySpan<double> values)
    {
        var n = X87Extended.FromInteger(values.Length);
        var sum = default(X87Extended);
        foreach (var v in values)
        {
            sum += X87Extended.FromDouble(v);
        }

        var mean = sum / n;
        if (double.IsFinite(mean.ToDouble()))
        {
            var residuals = default(X87Extended);
            foreach (var v in values)
            {
                residuals += X87Extended.FromDouble(v) - mean;
            }

            mean += residuals / n;
        }

        return mean.ToDouble();
    }
}
