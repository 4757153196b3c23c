using Forecast.Core.Models;

namespace Forecast.Trainer.Auto;

/// <summary>
/// Ensemble selection (Caruana et al., "Ensemble selection from libraries of models", ICML 2004), as AutoGluon-
/// TimeSeries fits its WeightedEnsemble on the validation windows: start from an empty ensemble and, round after round,
/// add (with replacement) the candidate whose addition gives the equal-weight average of the ensemble the lowest
/// backtest score over all series and windows; keep the rounds up to the best score seen, and weight each candidate
/// by how often it was added. Point forecasts and every quantile level are averaged alike (<see cref="ForecastCombiner"/>).
/// Ties go to the candidate listed first, so a fit is deterministic.
/// </summary>
internal static class GreedyEnsemble
{
    /// <summary>One series' forecasts of one backtest window by every candidate (all of them present).</summary>
    public sealed record Item(int Series, double[] Actual, double Scale, SeriesForecast[] Forecasts);

    /// <summary>The weight of each candidate (summing to 1); all zero when no item has an actual to score.</summary>
    public static double[] Fit(IReadOnlyList<Item> items, int candidates, SelectionMetric metric, IReadOnlyList<double> levels, int rounds)
    {
        var weights = new double[candidates];
        if (items.Count == 0 || candidates == 0) return weights;
        var itemWeight = ItemWeights(items, metric);
        if (itemWeight.All(w => w == 0)) return weights;

        int horizon = items[0].Actual.Length;
        bool quantileLoss = metric == SelectionMetric.Wql;
        int rows = quantileLoss ? levels.Count : 1;
        // Running sums of the members' forecasts, per item and row (the mean, or each quantile level).
        var sums = new double[items.Count][][];
        for (int k = 0; k < items.Count; k++)
        {
            sums[k] = new double[rows][];
            for (int r = 0; r < rows; r++) sums[k][r] = new double[horizon];
        }

        var chosen = new List<int>(rounds);
        var trajectory = new List<double>(rounds);
        var losses = new double[candidates];
        for (int round = 0; round < rounds; round++)
        {
            int size = round + 1;
            Parallel.For(0, candidates, c => losses[c] = LossWith(c, size, items, sums, itemWeight, quantileLoss, levels));
            int best = 0;
            for (int c = 1; c < candidates; c++)
                if (losses[c] < losses[best]) best = c;
            chosen.Add(best);
            trajectory.Add(losses[best]);
            for (int k = 0; k < items.Count; k++)
            {
                var forecast = items[k].Forecasts[best];
                for (int r = 0; r < rows; r++)
                {
                    var row = quantileLoss ? forecast.Quantiles[r] : forecast.Mean;
                    var sum = sums[k][r];
                    for (int h = 0; h < horizon; h++) sum[h] += row[h];
                }
            }
        }

        int keep = 0;
        for (int round = 1; round < trajectory.Count; round++)
            if (trajectory[round] < trajectory[keep]) keep = round;
        for (int round = 0; round <= keep; round++) weights[chosen[round]] += 1.0 / (keep + 1);
        return weights;
    }

    /// <summary>
    /// How much each item counts in the dataset score: MASE averages over series, each series over its windows
    /// (1 / windows of the series); pooled WQL divides by Σ|y| over every item, so each item counts 1 / Σ|y|.
    /// </summary>
    private static double[] ItemWeights(IReadOnlyList<Item> items, SelectionMetric metric)
    {
        var weights = new double[items.Count];
        if (metric == SelectionMetric.Mase)
        {
            var windows = new Dictionary<int, int>();
            foreach (var item in items.Where(HasActual))
                windows[item.Series] = windows.GetValueOrDefault(item.Series) + 1;
            for (int k = 0; k < items.Count; k++)
            {
                if (!HasActual(items[k])) continue;
                double scale = double.IsFinite(items[k].Scale) && items[k].Scale > 0 ? items[k].Scale : 1;
                weights[k] = 1.0 / (windows[items[k].Series] * scale * windows.Count);
            }
            return weights;
        }
        double absolute = items.Sum(item => item.Actual.Where(y => !double.IsNaN(y)).Sum(Math.Abs));
        double each = absolute > 0 ? 1 / absolute : 1;
        for (int k = 0; k < items.Count; k++) weights[k] = HasActual(items[k]) ? each : 0;
        return weights;
    }

    private static bool HasActual(Item item) => item.Actual.Any(y => !double.IsNaN(y));

    /// <summary>The dataset score of the average of the current members (<paramref name="size"/> - 1 of them) and candidate <paramref name="candidate"/>.</summary>
    private static double LossWith(int candidate, int size, IReadOnlyList<Item> items, double[][][] sums, double[] itemWeight, bool quantileLoss,
        IReadOnlyList<double> levels)
    {
        double total = 0;
        for (int k = 0; k < items.Count; k++)
        {
            if (itemWeight[k] == 0) continue;
            var actual = items[k].Actual;
            var forecast = items[k].Forecasts[candidate];
            double itemLoss = 0;
            if (!quantileLoss)
            {
                var sum = sums[k][0];
                var mean = forecast.Mean;
                int count = 0;
                for (int h = 0; h < actual.Length; h++)
                {
                    if (double.IsNaN(actual[h])) continue;
                    itemLoss += Math.Abs(actual[h] - (sum[h] + mean[h]) / size);
                    count++;
                }
                itemLoss /= count;
            }
            else
            {
                for (int q = 0; q < levels.Count; q++)
                {
                    double level = levels[q];
                    var sum = sums[k][q];
                    var row = forecast.Quantiles[q];
                    for (int h = 0; h < actual.Length; h++)
                    {
                        if (double.IsNaN(actual[h])) continue;
                        double d = actual[h] - (sum[h] + row[h]) / size;
                        itemLoss += 2 * (d < 0 ? (level - 1) * d : level * d);
                    }
                }
                itemLoss /= levels.Count;
            }
            total += itemWeight[k] * itemLoss;
        }
        return total;
    }
}
