using Forecast.Statistical.Decomposition;

namespace Forecast.Core.Eda;

/// <summary>
/// The trend of a series without a season (yearly, weekly, or shorter than two periods): the same loess as STL's
/// trend smoother (local-linear, tricube), with a window of about a fifth of the series (at least 7 points), so a
/// strength of trend can be measured as for seasonal series with S = 0.
/// </summary>
public static class NonSeasonalTrend
{
    public static StlDecomposition Decompose(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        int window = Math.Max(7, n / 5);
        if (window % 2 == 0) window++;
        var trend = new double[n];
        StlLoess.Smooth(y, n, window, 1, 1, false, default, trend, new double[n]);
        var remainder = new double[n];
        for (int i = 0; i < n; i++) remainder[i] = y[i] - trend[i];
        return new StlDecomposition(trend, new double[n], remainder);
    }
}
