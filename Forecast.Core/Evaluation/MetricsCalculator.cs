using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Core.Threading;

namespace Forecast.Core.Evaluation;

/// <summary>
/// Scores forecasts against the actuals of their evaluation windows: per forecast, per series (over windows) and per
/// dataset. Definitions follow the baselines' summarize.R (M4 MASE and sMAPE) and GluonTS (WAPE, mean weighted
/// quantile loss), documented in docs/configuration.md.
/// </summary>
public static class MetricsCalculator
{
    /// <param name="windows">The evaluation windows (histories and actuals).</param>
    /// <param name="forecasts">Per window, the forecast of every series in window order.</param>
    /// <param name="seasonLength">The MASE season length m of a series (called from several threads).</param>
    /// <param name="pointForecast">The forecast the point metrics score: the mean or the 0.5 quantile.</param>
    public static ModelScore Score(
        string datasetName,
        string model,
        IReadOnlyList<EvaluationWindow> windows,
        IReadOnlyList<IReadOnlyList<SeriesForecast>> forecasts,
        Func<TimeSeries, int> seasonLength,
        IReadOnlyList<string> metrics,
        PointForecast pointForecast = PointForecast.Mean)
    {
        if (windows.Count == 0) throw new ArgumentException("At least one evaluation window is needed.", nameof(windows));
        if (forecasts.Count != windows.Count) throw new ArgumentException($"{forecasts.Count} forecast sets for {windows.Count} windows.", nameof(forecasts));
        int seriesCount = windows[0].Histories.Count;
        var levels = forecasts[0].Count > 0 ? forecasts[0][0].QuantileLevels : [];

        for (int w = 0; w < windows.Count; w++)
        {
            if (windows[w].Histories.Count != seriesCount || forecasts[w].Count != seriesCount)
                throw new ArgumentException($"Window {w} has {windows[w].Histories.Count} series and {forecasts[w].Count} forecasts; every window needs one forecast for each of the {seriesCount} series.", nameof(forecasts));
        }
        foreach (string metric in metrics)
        {
            if (Array.IndexOf(PerForecast, metric) < 0 && metric is not (MetricNames.Wape or MetricNames.Wql or MetricNames.Coverage))
                throw new ArgumentException($"Unknown metric '{metric}'; known metrics: {string.Join(", ", MetricNames.All)}.", nameof(metrics));
        }
        int median = -1;
        if (pointForecast == PointForecast.Median)
        {
            median = levels.ToList().FindIndex(l => Math.Abs(l - 0.5) < 1e-12);
            if (median < 0)
                throw new ArgumentException($"Scoring the median needs the 0.5 quantile, but the forecasts have {string.Join(", ", levels)}; add 0.5 to evaluation.quantiles.", nameof(pointForecast));
        }
        var template = new ErrorSums(levels);
        var statistics = new SeriesErrorStatistics[seriesCount];
        // Series are scored in parallel (each on its own sums); the dataset reduction below runs in series order, so
        // results do not depend on the number of threads.
        ParallelLoop.For(seriesCount,
            () => new ErrorSums(template),
            (i, _, sums) =>
            {
                var own = new ErrorSums(template);
                var values = new double[windows.Count * PerForecast.Length];
                for (int w = 0; w < windows.Count; w++)
                {
                    var history = windows[w].Histories[i];
                    var forecast = forecasts[w][i];
                    var actual = windows[w].Actuals[i];
                    if (forecast.Id != history.Id)
                        throw new ArgumentException($"Forecast {i} of window {w} is for series '{forecast.Id}' but the window's series is '{history.Id}'.", nameof(forecasts));
                    if (forecast.Mean.Length != actual.Length)
                        throw new ArgumentException($"Forecast of series '{history.Id}' has {forecast.Mean.Length} steps, the window has {actual.Length}.", nameof(forecasts));
                    sums.Reset();
                    sums.Add(actual, median < 0 ? forecast.Mean : forecast.Quantiles[median], forecast.Quantiles);
                    double scale = SeasonalScale.Of(history.Values, seasonLength(history));
                    PerForecastValues(sums, scale, values.AsSpan(w * PerForecast.Length, PerForecast.Length));
                    own.Add(sums);
                }
                statistics[i] = new SeriesErrorStatistics(windows[0].Histories[i].Id, own, values);
                return sums;
            });

        var dataset = new DatasetScoreAccumulator(levels, metrics);
        var perSeries = new SeriesScore[seriesCount];
        for (int i = 0; i < seriesCount; i++)
        {
            perSeries[i] = new SeriesScore(statistics[i].SeriesId, windows.Count, dataset.SeriesMetrics(statistics[i]));
            dataset.Add(statistics[i]);
        }
        return new ModelScore(dataset.Result(datasetName, model, windows.Count), perSeries) { Statistics = statistics };
    }

    /// <summary>The metrics averaged over forecasts (the rest are pooled over points), in the order of their values.</summary>
    public static IReadOnlyList<string> PerForecastMetrics => PerForecast;

    /// <summary>Metrics averaged over forecasts (the rest are pooled), in this order.</summary>
    private static readonly string[] PerForecast = [MetricNames.Mae, MetricNames.Rmse, MetricNames.Mape, MetricNames.Smape, MetricNames.Mase];

    private static void PerForecastValues(ErrorSums sums, double scale, Span<double> values)
    {
        double mae = sums.MeanAbsoluteError;
        values[0] = mae;
        values[1] = sums.RootMeanSquaredError;
        values[2] = sums.MeanAbsolutePercentageError;
        values[3] = sums.SymmetricMeanAbsolutePercentageError;
        values[4] = scale > 0 ? mae / scale : double.NaN; // README: MASE over series with a finite (non-zero) scale
    }
}
