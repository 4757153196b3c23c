using Forecast.Core.Series;

namespace Forecast.Core.Models;

/// <summary>
/// A forecasting model, batch-first as statsforecast's <c>forecast</c>: given the histories of many series it fits
/// (or conditions on them, for pretrained models) and returns one forecast per series, in input order.
/// Baselines, Prophet and Chronos all implement this.
/// </summary>
public interface IForecaster
{
    /// <summary>The model's name as written in configs, metrics and artifacts (e.g. "seasonal_naive").</summary>
    string Name { get; }

    Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories,
        ForecastRequest request,
        IProgress<ForecastProgress>? progress = null,
        CancellationToken cancellationToken = default);
}
