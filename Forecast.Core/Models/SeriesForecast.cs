namespace Forecast.Core.Models;

/// <summary>
/// The forecast of one series: timestamps of the horizon, the point forecast (mean) and one row per requested
/// quantile level (<c>Quantiles[q][h]</c>, same order as <see cref="ForecastRequest.Quantiles"/>).
/// </summary>
public sealed record SeriesForecast(string Id, DateTime[] Timestamps, double[] Mean, IReadOnlyList<double> QuantileLevels, double[][] Quantiles);
