using System.Diagnostics;
using Forecast.Core.Models;
using Forecast.Core.Series;

namespace Forecast.Trainer.Telemetry;

/// <summary>
/// Wraps a model so that every call (one batch of series) is a "fit" span tagged with the model and batch size, and
/// feeds the fit-duration histogram and the series counter. A decorator keeps telemetry out of every model; it passes
/// on what the model says about the series it applies to (<see cref="Auto.ISeriesScope"/>).
/// </summary>
public sealed class InstrumentedForecaster(IForecaster inner) : IForecaster, Auto.ISeriesScope
{
    public string Name => inner.Name;

    public IForecaster Inner => inner;

    public string? Excludes(TimeSeries history) => (inner as Auto.ISeriesScope)?.Excludes(history);

    public async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories, ForecastRequest request, IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var activity = TrainerTelemetry.Source.StartActivity("fit");
        activity?.SetTag(TrainerTelemetry.ModelTag, inner.Name);
        activity?.SetTag(TrainerTelemetry.SeriesCountTag, histories.Count);
        activity?.SetTag("forecast.horizon", request.Horizon);
        var model = new KeyValuePair<string, object?>(TrainerTelemetry.ModelTag, inner.Name);
        long started = Stopwatch.GetTimestamp();
        try
        {
            var forecasts = await inner.ForecastAsync(histories, request, progress, cancellationToken).ConfigureAwait(false);
            TrainerTelemetry.FitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, model);
            TrainerTelemetry.SeriesProcessed.Add(histories.Count, model);
            return forecasts;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TrainerTelemetry.RecordFailure(activity, "fit", e);
            throw;
        }
    }
}
