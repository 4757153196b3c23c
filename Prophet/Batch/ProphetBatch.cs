using System.Diagnostics;

namespace Forecast.Prophet;

/// <summary>One series of a batch: an id and its history (ds, y and any extra columns).</summary>
public sealed record ProphetSeries(string Id, ProphetFrame History);

/// <summary>The outcome for one series: the fitted model and its forecast, or the error that stopped it.</summary>
public sealed record ProphetBatchResult(string Id, Prophet? Model, ProphetForecast? Forecast, Exception? Error)
{
    public bool Succeeded => Error is null;

    /// <summary>Wall time of the series' <see cref="Prophet.Fit"/> (data preparation and optimisation).</summary>
    public TimeSpan FitTime { get; init; }
}

/// <summary>Progress of a batch: series finished (successfully or not) out of the total.</summary>
public readonly record struct ProphetBatchProgress(int Completed, int Failed, int Total);

/// <summary>
/// Fits and forecasts many series in parallel — the entry point for pipeline adapters. Each series gets its own
/// model (instances are not shared between threads), parallelism is bounded (default: the core count), a failing
/// series is reported in its result instead of stopping the batch, and cancellation stops the remaining work.
/// </summary>
public static class ProphetBatch
{
    /// <param name="createModel">Builds the unfitted model for a series (options, seasonalities, regressors).</param>
    /// <param name="makeFuture">The frame to predict for a fitted model (e.g. m.MakeFutureDataFrame(h, freq, false)).</param>
    public static async Task<IReadOnlyList<ProphetBatchResult>> FitPredictAsync(
        IReadOnlyList<ProphetSeries> series,
        Func<ProphetSeries, Prophet> createModel,
        Func<Prophet, ProphetSeries, ProphetFrame> makeFuture,
        ProphetFitOptions? fitOptions = null,
        int? maxDegreeOfParallelism = null,
        IProgress<ProphetBatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(createModel);
        ArgumentNullException.ThrowIfNull(makeFuture);
        var results = new ProphetBatchResult[series.Count];
        int completed = 0, failed = 0;
        var options = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, series.Count), options, (i, token) =>
        {
            var item = series[i];
            try
            {
                var started = Stopwatch.GetTimestamp();
                var model = createModel(item).Fit(item.History, fitOptions, token);
                var fitTime = Stopwatch.GetElapsedTime(started);
                var forecast = model.Predict(makeFuture(model, item), token);
                results[i] = new ProphetBatchResult(item.Id, model, forecast, null) { FitTime = fitTime };
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                results[i] = new ProphetBatchResult(item.Id, null, null, error);
                Interlocked.Increment(ref failed);
            }

            progress?.Report(new ProphetBatchProgress(Interlocked.Increment(ref completed), Volatile.Read(ref failed), series.Count));
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        return results;
    }
}
