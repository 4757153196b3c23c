using Forecast.Core.Models;
using Forecast.Core.Series;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// The model of a merged run: answers each request with the forecast a shard's model already made for that series,
/// horizon and history end, so the pipeline scores and writes the merged run with its own code. A request the shards
/// did not answer (the data or config changed since) is a <see cref="ShardMergeException"/>.
/// </summary>
public sealed class ReplayForecaster(string name, IEnumerable<(ForecastCall Call, int Shard)> calls) : IForecaster
{
    private readonly Dictionary<(string Id, DateTime HistoryEnd, int Horizon), (CapturedForecast Forecast, IReadOnlyList<double> Levels)> _byKey = Index(calls);

    public string Name => name;

    public Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories, ForecastRequest request, IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = new SeriesForecast[histories.Count];
        for (int i = 0; i < histories.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var history = histories[i];
            var key = (history.Id, history.Timestamps[^1], request.Horizon);
            if (!_byKey.TryGetValue(key, out var found))
                throw new ShardMergeException($"No shard forecast for series '{history.Id}' with history ending {history.Timestamps[^1]:O} and horizon {request.Horizon}: the data or config changed since the shards ran; rerun the shards with the merge's config.");
            if (!found.Levels.SequenceEqual(request.Quantiles))
                throw new ShardMergeException($"The shards forecast quantiles [{string.Join(", ", found.Levels)}] but the merge's config asks for [{string.Join(", ", request.Quantiles)}]; merge with the config the shards ran with.");
            var f = found.Forecast;
            result[i] = new SeriesForecast(f.Id, f.Timestamps, f.Mean, found.Levels, f.Quantiles);
        }
        progress?.Report(new ForecastProgress(histories.Count, histories.Count, $"{name} (from shards)"));
        return Task.FromResult<IReadOnlyList<SeriesForecast>>(result);
    }

    private static Dictionary<(string, DateTime, int), (CapturedForecast, IReadOnlyList<double>)> Index(IEnumerable<(ForecastCall Call, int Shard)> calls)
    {
        var index = new Dictionary<(string, DateTime, int), (CapturedForecast, IReadOnlyList<double>)>();
        foreach (var (call, shard) in calls)
            foreach (var forecast in call.Forecasts)
                if (!index.TryAdd((forecast.Id, forecast.HistoryEnd, call.Horizon), (forecast, call.Quantiles)))
                    throw new ShardMergeException($"Series '{forecast.Id}' was forecast twice for the history ending {forecast.HistoryEnd:O} (again by shard {shard}); the shards overlap, so they were not run with the same shard count.");
        return index;
    }
}
