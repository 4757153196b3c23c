namespace Forecast.Prophet;

/// <summary>
/// Simulated paths from <see cref="Prophet.PredictiveSamples"/>: <see cref="Yhat"/> and <see cref="Trend"/> hold
/// rows × <see cref="Samples"/> values, row-major (value of path s at row i = [i * Samples + s]).
/// </summary>
public sealed record PredictiveSamples(DateTime[] Ds, int Samples, double[] Yhat, double[] Trend)
{
    public ReadOnlySpan<double> YhatRow(int row) => Yhat.AsSpan(row * Samples, Samples);

    public ReadOnlySpan<double> TrendRow(int row) => Trend.AsSpan(row * Samples, Samples);
}

/// <summary>Per-row interval bounds of yhat and trend.</summary>
internal sealed record UncertaintyIntervals(double[] YhatLower, double[] YhatUpper, double[] TrendLower, double[] TrendUpper);
