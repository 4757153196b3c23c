using Forecast.Core.Models;
using Forecast.Core.Series;

namespace Forecast.Trainer.Tests.Auto;

/// <summary>
/// A candidate for model: auto whose point forecast is a given function of the history; its quantiles are the point
/// plus (level - 0.5)·spread. It records every history it is asked for, and can refuse series: a batch with a refused
/// series throws, as a real model does.
/// </summary>
internal sealed class ScriptedForecaster(string name, Func<TimeSeries, int, double[]> point, Func<TimeSeries, bool>? refuses = null, double spread = 2)
    : IForecaster
{
    private readonly List<TimeSeries> _seen = [];

    public string Name => name;

    /// <summary>Every history forecast so far (batches of calls that threw included).</summary>
    public IReadOnlyList<TimeSeries> Seen { get { lock (_seen) return [.. _seen]; } }

    public Task<IReadOnlyList<SeriesForecast>> ForecastAsync(IReadOnlyList<TimeSeries> histories, ForecastRequest request,
        IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        lock (_seen) _seen.AddRange(histories);
        var forecasts = new List<SeriesForecast>();
        foreach (var history in histories)
        {
            if (refuses?.Invoke(history) == true) throw new InvalidOperationException($"{name} cannot forecast '{history.Id}' ({history.Length} points)");
            var mean = point(history, request.Horizon);
            var frequency = history.Frequency ?? Frequency.MonthlyStart;
            forecasts.Add(new SeriesForecast(history.Id, frequency.Following(history.Timestamps[^1], request.Horizon), mean, request.Quantiles,
                [.. request.Quantiles.Select(level => mean.Select(m => m + (level - 0.5) * spread).ToArray())]));
        }
        return Task.FromResult<IReadOnlyList<SeriesForecast>>(forecasts);
    }

    /// <summary>The last value, repeated.</summary>
    public static double[] Flat(TimeSeries history, int horizon) => [.. Enumerable.Repeat(history.Values[^1], horizon)];

    /// <summary>A candidate that knows the whole series: the true continuation where there is one, else the last value.</summary>
    public static Func<TimeSeries, int, double[]> Oracle(IReadOnlyList<TimeSeries> whole) => (history, horizon) =>
    {
        var full = whole.Single(s => s.Id == history.Id);
        return [.. Enumerable.Range(history.Length, horizon).Select(t => t < full.Length ? full.Values[t] : history.Values[^1])];
    };
}
