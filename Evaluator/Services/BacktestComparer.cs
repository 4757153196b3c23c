using Forecast.Core.Artifacts;
using Forecast.Core.Evaluation;
using Forecast.Evaluator.Model;

namespace Forecast.Evaluator.Services;

/// <summary>
/// Compares runs window by window from their evaluation/forecasts.csv (actuals and forecasts of every backtest window),
/// pooling the errors of all series of a window with Forecast.Core's <see cref="ErrorSums"/> (GluonTS-style pooled
/// MAE, RMSE, sMAPE, WAPE, WQL and interval coverage). MASE needs each series' history, which a run does not store, so
/// it is taken from metrics.yaml for the run as a whole.
/// </summary>
public sealed class BacktestComparer(RunReader reader)
{
    /// <returns>null and the ids of the runs that are not committed, when some are missing.</returns>
    public async Task<(BacktestComparison? Comparison, IReadOnlyList<string> Missing)> CompareAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        var runs = new List<BacktestRun>();
        var missing = new List<string>();
        var windowKeys = new List<HashSet<string>>();
        string dataset = "";
        foreach (string runId in runIds)
        {
            var summary = await reader.GetSummaryAsync(runId, cancellationToken);
            var table = summary is null ? null : await reader.ReadForecastsAsync(runId, evaluation: true, cancellationToken);
            if (summary is null || table is null) { missing.Add(runId); continue; }
            dataset = dataset.Length == 0 ? summary.Dataset : dataset;
            var windows = table.Traces.GroupBy(t => t.Window ?? 0).OrderBy(g => g.Key)
                .Select(g => Window(g.Key, [.. g], table.QuantileLevels)).ToList();
            var overall = new Dictionary<string, double>(summary.Metrics.Where(m => m.Key == MetricNames.Mase));
            var all = Pool(table.Traces, table.QuantileLevels);
            foreach (var (metric, value) in Metrics(all)) overall[metric] = value;
            runs.Add(new BacktestRun(runId, summary.Model, windows, overall));
            windowKeys.Add([.. table.Traces.SelectMany(t => t.Timestamps.Select(ts => $"{t.Window}|{t.SeriesId}|{ts:O}"))]);
        }
        if (missing.Count > 0) return (null, missing);
        bool same = windowKeys.All(k => k.SetEquals(windowKeys[0]));
        return (new BacktestComparison(dataset, same, runs), []);
    }

    private static BacktestWindow Window(int index, IReadOnlyList<ForecastTrace> traces, IReadOnlyList<double> levels) =>
        new(index, traces.Min(t => t.Timestamps.Length > 0 ? t.Timestamps[0] : DateTime.MaxValue), traces.Count, Metrics(Pool(traces, levels)));

    private static ErrorSums Pool(IEnumerable<ForecastTrace> traces, IReadOnlyList<double> levels)
    {
        var sums = new ErrorSums(levels);
        foreach (var trace in traces)
        {
            if (trace.Actuals is null) continue;
            sums.Add(trace.Actuals, trace.Mean, trace.Quantiles);
        }
        return sums;
    }

    private static Dictionary<string, double> Metrics(ErrorSums sums)
    {
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.Mae] = sums.MeanAbsoluteError,
            [MetricNames.Rmse] = sums.RootMeanSquaredError,
            [MetricNames.Smape] = sums.SymmetricMeanAbsolutePercentageError,
            [MetricNames.Wape] = sums.WeightedAbsolutePercentageError,
            [MetricNames.Wql] = sums.WeightedQuantileLoss,
        };
        for (int c = 0; c < sums.CentralIntervals.Count; c++)
            metrics[MetricNames.CoverageOf(sums.QuantileLevels[sums.CentralIntervals[c].Lower])] = sums.CoverageOf(c);
        return metrics;
    }
}
