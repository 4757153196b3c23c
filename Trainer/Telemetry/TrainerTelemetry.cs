using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Forecast.Trainer.Telemetry;

/// <summary>
/// The Trainer's spans and metrics. ServiceDefaults registers every "Forecast.*" source and meter, so they reach the
/// Aspire dashboard (or any OTLP collector) with no further wiring. One trace per Trainer invocation: trainer (reading
/// the request and config, publishing the model catalog) › run › load, clean, eda, evaluate › fit (one per model and
/// batch of series), forecast › fit, upload (one per file).
/// </summary>
public static class TrainerTelemetry
{
    public const string Name = "Forecast.Trainer";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Series a model produced a forecast for (every evaluation window and the final forecast count).</summary>
    public static readonly Counter<long> SeriesProcessed = Meter.CreateCounter<long>(
        "forecast.trainer.series_processed", unit: "{series}", description: "Series forecast by a model, per call.");

    /// <summary>Wall time of one model call (fit and forecast of one batch of series).</summary>
    public static readonly Histogram<double> FitDuration = Meter.CreateHistogram<double>(
        "forecast.trainer.fit.duration", unit: "s", description: "Duration of one model fit/forecast call on a batch of series.");

    /// <summary>Failed runs and failed model calls, tagged with the stage that failed.</summary>
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "forecast.trainer.failures", unit: "{failure}", description: "Failed runs and model calls.");

    public const string ModelTag = "forecast.model";
    public const string SeriesCountTag = "forecast.series_count";
    public const string RunIdTag = "forecast.run_id";
    public const string StageTag = "forecast.stage";
    public const string RequestIdTag = "forecast.request_id";

    /// <summary>
    /// The model with "fit" spans and metrics. A <see cref="Features.ModelRouter"/> instruments the models it routes to
    /// itself, so each span names one real model and no series is counted twice.
    /// </summary>
    public static Core.Models.IForecaster Instrument(Core.Models.IForecaster model) =>
        model is Features.ModelRouter or InstrumentedForecaster ? model : new InstrumentedForecaster(model);

    /// <summary>Marks <paramref name="activity"/> failed (OpenTelemetry's exception event and Error status) and counts it.</summary>
    public static void RecordFailure(Activity? activity, string stage, Exception error)
    {
        Failures.Add(1, new KeyValuePair<string, object?>(StageTag, stage), new KeyValuePair<string, object?>("error.type", error.GetType().Name));
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.AddException(error);
    }
}
