using Forecast.Core.Models;
using Forecast.Core.Series;

namespace Forecast.Trainer.Sharding;

/// <summary>Passes every call to the shard's model and keeps what it returned, for shard/forecasts.json.gz.</summary>
public sealed class CapturingForecaster(IForecaster model) : IForecaster
{
    private readonly List<ForecastCall> _calls = [];

    public string Name => model.Name;

    public IReadOnlyList<ForecastCall> Calls => _calls;

    public async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories, ForecastRequest request, IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var forecasts = await model.ForecastAsync(histories, request, progress, cancellationToken).ConfigureAwait(false);
        var captured = new CapturedForecast[forecasts.Count];
        for (int i = 0; i < forecasts.Count; i++)
        {
            var f = forecasts[i];
            captured[i] = new CapturedForecast(f.Id, histories[i].Timestamps[^1], f.Timestamps, f.Mean, f.Quantiles);
        }
        lock (_calls) _calls.Add(new ForecastCall(request.Horizon, [.. request.Quantiles], captured));
        return forecasts;
    }
}
