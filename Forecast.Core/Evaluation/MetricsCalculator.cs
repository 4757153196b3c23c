using Forecast.Core.Models;
using Forecast.Core.Series;

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
    /// <param name="seasonLength">The MASE season length m of a series.</param>
    public static ModelScore Score(
        string dataset,
        string model,
        IReadOnlyList<EvaluationWindow> windows,
        IReadOnlyList<IReadOnlyList<SeriesForecast>> forecasts,
        Func<TimeSeries, int> seasonLength,
        IReadOnlyList<string> metrics)
    {
        if (windows.Count == 0) throw new ArgumentException("At least one evaluation window is needed.", nameof(windows));
        if (forecasts.Count != windows.Count) throw new ArgumentException($"{forecasts.Count} forecast sets for {windows.Count} windows.", nameof(forecasts));
        int seriesCount = windows[0].Histories.Count;
        var levels = forecasts[0].Count > 0 ? forecasts[0][0].QuantileLevels : [];

        var datasetSums = new ErrorSums(levels);
        var datasetMeans = new MeanOfFinite[PerForecast.Length];
        for (int k = 0; k < datasetMeans.Length; k++) datasetMeans[k] = new MeanOfFinite();
        var perSeries = new SeriesScore[seriesCount];

        for (int i = 0; i < seriesCount; i++)
        {
            var seriesSums = new ErrorSums(levels);
            var seriesMeans = new MeanOfFinite[PerForecast.Length];
            for (int k = 0; k < seriesMeans.Length; k++) seriesMeans[k] = new MeanOfFinite();
            for (int w = 0; w < windows.Count; w++)
            {
                var history = windows[w].Histories[i];
                var forecast = forecasts[w][i];
                var actual = windows[w].Actuals[i];
                if (forecast.Id != history.Id)
                    throw new ArgumentException($"Forecast {i} of window {w} is for series '{forecast.Id}' but the window's series is '{history.Id}'.", nameof(forecasts));
                if (forecast.Mean.Length != actual.Length)
                    throw new ArgumentException($"Forecast of series '{history.Id}' has {forecast.Mean.Length} steps, the window has {actual.Length}.", nameof(forecasts));
                var sums = new ErrorSums(levels);
                sums.Add(actual, forecast.Mean, forecast.Quantiles);
                double scale = SeasonalScale.Of(history.Values, seasonLength(history));
                var values = PerForecastValues(sums, scale);
                for (int k = 0; k < values.Length; k++)
                {
                    seriesMeans[k].Add(values[k]);
                    datasetMeans[k].Add(values[k]);
                }
                seriesSums.Add(sums);
            }
            datasetSums.Add(seriesSums);
            perSeries[i] = new SeriesScore(windows[0].Histories[i].Id, windows.Count, Select(metrics, seriesMeans, seriesSums));
        }
        var datasetScore = new DatasetScore(dataset, model, seriesCount, windows.Count, Select(metrics, datasetMeans, datasetSums));
        return new ModelScore(datasetScore, perSeries);
    }

    /// <summary>Metrics averaged over forecasts (the rest are pooled), in this order.</summary>
    private static readonly string[] PerForecast = [MetricNames.Mae, MetricNames.Rmse, MetricNames.Mape, MetricNames.Smape, MetricNames.Mase];

    private static double[] PerForecastValues(ErrorSums sums, double scale)
    {
        double mae = sums.MeanAbsoluteError;
        return
        [
            mae,
            sums.RootMeanSquaredError,
            sums.MeanAbsolutePercentageError,
            sums.SymmetricMeanAbsolutePercentageError,
            scale > 0 ? mae / scale : double.NaN, // README: MASE over series with a finite (non-zero) scale
        ];
    }

    private static Dictionary<string, double> Select(IReadOnlyList<string> metrics, MeanOfFinite[] means, ErrorSums pooled)
    {
        var result = new Dictionary<string, double>();
        foreach (string metric in metrics)
        {
            int k = Array.IndexOf(PerForecast, metric);
            if (k >= 0) { result[metric] = means[k].Value; continue; }
            switch (metric)
            {
                case MetricNames.Wape: result[metric] = pooled.WeightedAbsolutePercentageError; break;
                case MetricNames.Wql: result[metric] = pooled.WeightedQuantileLoss; break;
                case MetricNames.Coverage:
                    for (int c = 0; c < pooled.CentralIntervals.Count; c++)
                        result[MetricNames.CoverageOf(pooled.QuantileLevels[pooled.CentralIntervals[c].Lower])] = pooled.CoverageOf(c);
                    break;
                default: throw new ArgumentException($"Unknown metric '{metric}'; known metrics: {string.Join(", ", MetricNames.All)}.", nameof(metrics));
            }
        }
        return result;
    }

    /// <summary>Mean of the finite values added; NaN when there are none.</summary>
    private sealed class MeanOfFinite
    {
        private double _sum;
        private int _count;

        public void Add(double value)
        {
            if (!double.IsFinite(value)) return;
            _sum += value;
            _count++;
        }

        public double Value => _count == 0 ? double.NaN : _sum / _count;
    }
}
