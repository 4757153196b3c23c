namespace Forecast.Prophet;

/// <summary>
/// Output of <see cref="Diagnostics.CrossValidation"/>: one row per held-out history point (prophet's columns ds,
/// yhat, yhat_lower, yhat_upper, y, cutoff), ordered by cutoff then ds.
/// </summary>
public sealed record CrossValidationResult(
    DateTime[] Ds,
    double[] Yhat,
    double[]? YhatLower,
    double[]? YhatUpper,
    double[] Y,
    DateTime[] Cutoff)
{
    public int RowCount => Ds.Length;
}

/// <summary>
/// Output of <see cref="Diagnostics.PerformanceMetrics"/>: one row per horizon with each metric's rolling value.
/// <see cref="Horizon"/> is ds - cutoff; with monthly horizons <see cref="HorizonMonths"/> holds the month difference.
/// </summary>
public sealed record PerformanceMetricsResult(TimeSpan[] Horizon, int[]? HorizonMonths, IReadOnlyDictionary<string, double[]> Metrics)
{
    public double[] this[string metric] => Metrics.TryGetValue(metric, out var values)
        ? values
        : throw new KeyNotFoundException($"No metric '{metric}'. Metrics: {string.Join(", ", Metrics.Keys)}.");
}
