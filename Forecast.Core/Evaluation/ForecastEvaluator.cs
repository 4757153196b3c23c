using Forecast.Core.Models;
using Forecast.Core.Threading;

namespace Forecast.Core.Evaluation;

/// <summary>Runs a model on every evaluation window and scores its forecasts.</summary>
public static class ForecastEvaluator
{
    public static async Task<(IReadOnlyList<IReadOnlyList<SeriesForecast>> Forecasts, ModelScore Score)> EvaluateAsync(
        string dataset,
        IForecaster model,
        IReadOnlyList<EvaluationWindow> windows,
        EvaluationOptions options,
        Func<Series.TimeSeries, int> seasonLength,
        IProgress<ForecastProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var request = new ForecastRequest(options.Horizon, options.Quantiles);
        var forecasts = new List<IReadOnlyList<SeriesForecast>>(windows.Count);
        foreach (var window in windows)
        {
            var windowProgress = progress is null ? null : new SynchronousProgress(p =>
                progress.Report(p with { Stage = windows.Count == 1 ? p.Stage : $"{p.Stage} (window {window.Index + 1}/{windows.Count})" }));
            forecasts.Add(await model.ForecastAsync(window.Histories, request with { FutureCovariates = window.FutureCovariates }, windowProgress, cancellationToken).ConfigureAwait(false));
        }
        var score = MetricsCalculator.Score(dataset, model.Name, windows, forecasts, seasonLength, options.Metrics, options.PointForecast);
        return (forecasts, score);
    }
}
