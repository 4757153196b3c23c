namespace Forecast.Core.Models;

/// <summary>What to forecast: how many steps ahead and which quantile levels (0 &lt; q &lt; 1, ascending).</summary>
public sealed record ForecastRequest(int Horizon, IReadOnlyList<double> Quantiles)
{
    public static readonly IReadOnlyList<double> DefaultQuantiles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
}
