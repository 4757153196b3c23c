using Forecast.Core.Artifacts;

namespace Forecast.Auto.Bench;

/// <summary>
/// MASE and WQL of a run's holdout forecasts (evaluation/forecasts.csv) on given series, as the shared baselines'
/// summarize.R scores them: per series MAE over the horizon divided by the mean |x_t − x_{t−m}| of the whole training
/// part (m = 1 when n ≤ m), averaged over series with a finite scale; WQL pooled over all series and steps, averaged
/// over the nine levels 0.1 … 0.9.
/// </summary>
internal static class HoldoutScore
{
    public static (double Mase, double Wql) Of(ForecastTable evaluation, IReadOnlyDictionary<string, double[]> data, IReadOnlyList<string> ids, int seasonLength)
    {
        var traces = evaluation.Traces.ToDictionary(t => t.SeriesId, StringComparer.Ordinal);
        double maseSum = 0, absolute = 0;
        int maseCount = 0;
        var loss = new double[evaluation.QuantileLevels.Count];
        foreach (string id in ids)
        {
            var trace = traces[id];
            var values = data[id];
            int horizon = trace.Mean.Length, n = values.Length - horizon;
            int m = n > seasonLength ? seasonLength : 1;
            double scale = 0;
            int pairs = 0;
            for (int t = m; t < n; t++)
            {
                double d = Math.Abs(values[t] - values[t - m]);
                if (!double.IsFinite(d)) continue;
                scale += d;
                pairs++;
            }
            scale /= pairs;
            double mae = 0;
            for (int h = 0; h < horizon; h++)
            {
                double y = values[n + h];
                mae += Math.Abs(y - trace.Mean[h]);
                absolute += Math.Abs(y);
                for (int q = 0; q < loss.Length; q++)
                {
                    double level = evaluation.QuantileLevels[q], e = y - trace.Quantiles[q][h];
                    loss[q] += 2 * Math.Abs(e * ((e < 0 ? 1 : 0) - level));
                }
            }
            if (double.IsFinite(scale) && scale > 0)
            {
                maseSum += mae / horizon / scale;
                maseCount++;
            }
        }
        return (maseSum / maseCount, loss.Average() / absolute);
    }

    /// <summary>
    /// The series with the largest share of pooled WQL's denominator (Σ|y| over the holdout) and that share: when one
    /// series holds most of it, the dataset's WQL is mostly that series' own.
    /// </summary>
    public static (string Id, double Share) LargestShare(IReadOnlyDictionary<string, double[]> data, IReadOnlyList<string> ids, int horizon)
    {
        var sums = ids.Select(id => (Id: id, Sum: data[id][^horizon..].Sum(Math.Abs))).ToList();
        double total = sums.Sum(s => s.Sum);
        var largest = sums.MaxBy(s => s.Sum);
        return (largest.Id, total > 0 ? largest.Sum / total : double.NaN);
    }
}
