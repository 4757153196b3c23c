using Forecast.Core.Series;

namespace Forecast.Core.Models.Baselines;

/// <summary>
/// The random walk with lag m shared by naive (m = 1) and seasonal naive, after R forecast 8.20 <c>lagwalk()</c>:
/// ŷ_{T+h} = y_{T+h-m(k)}, k = floor((h-1)/m) + 1 full seasons back; residuals e_t = y_t - y_{t-m};
/// σ = sqrt(mean(e²)) and the h-step standard error σ·sqrt(k).
/// </summary>
internal static class LagWalk
{
    public static BaselineFit Fit(TimeSeries history, int lag, int horizon)
    {
        var y = history.Values;
        var residuals = new double[Math.Max(0, y.Length - lag)];
        int count = 0;
        for (int t = lag; t < y.Length; t++)
        {
            double e = y[t] - y[t - lag];
            if (double.IsFinite(e)) residuals[count++] = e;
        }
        if (count < residuals.Length) Array.Resize(ref residuals, count);
        double sigma = BaselineForecaster.RootMeanSquare(residuals);
        var point = new double[horizon];
        var standardError = new double[horizon];
        int n = y.Length;
        for (int h = 1; h <= horizon; h++)
        {
            int seasonsBack = (h - 1) / lag + 1;
            point[h - 1] = y[n - lag + (h - 1) % lag];
            standardError[h - 1] = sigma * Math.Sqrt(seasonsBack);
        }
        return new BaselineFit(point, standardError, residuals, sigma, DegreesOfFreedom: null);
    }
}
