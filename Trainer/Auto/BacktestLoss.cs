using Forecast.Core.Evaluation;

namespace Forecast.Trainer.Auto;

/// <summary>
/// The backtest score of <c>model.auto.metric</c>, as a ratio of sums so that windows and series add up the way the
/// Trainer's evaluation adds them up. One forecast of one window contributes a <see cref="Part"/>:
/// <list type="bullet">
/// <item>MASE: (MAE / scale, 1), so a series' score is its mean MASE over windows and a dataset's score the mean of its
/// series' scores (M4 MASE; the scale is the in-sample seasonal naive MAE of the window's history, and 1 when that is 0
/// or undefined, i.e. plain MAE, which ranks the models of a constant series all the same);</item>
/// <item>WQL: (Σ_q Σ_h 2·pinball_q / Q, Σ_h |y|), pooled over windows and, for a dataset, over series (GluonTS
/// <c>MeanWeightedSumQuantileLoss</c>).</item>
/// </list>
/// Missing actuals (NaN) are skipped; a window without any actual contributes nothing.
/// </summary>
internal static class BacktestLoss
{
    /// <param name="Scored">Windows that had at least one actual.</param>
    public readonly record struct Part(double Loss, double Weight, int Scored)
    {
        public static Part operator +(Part a, Part b) => new(a.Loss + b.Loss, a.Weight + b.Weight, a.Scored + b.Scored);

        /// <summary>
        /// Loss / weight; NaN when nothing was scored. Actuals that are all zero leave WQL without a denominator: the
        /// loss itself is the score then (it ranks the options of that series the same way).
        /// </summary>
        public double Value => Scored == 0 ? double.NaN : Weight > 0 ? Loss / Weight : Loss;
    }

    public static Part Of(SelectionMetric metric, double[] actual, ReadOnlySpan<double> mean, IReadOnlyList<double[]> quantiles,
        IReadOnlyList<double> levels, double scale)
    {
        if (metric == SelectionMetric.Mase)
        {
            double sum = 0;
            int count = 0;
            for (int h = 0; h < actual.Length; h++)
            {
                if (double.IsNaN(actual[h])) continue;
                sum += Math.Abs(actual[h] - mean[h]);
                count++;
            }
            if (count == 0) return default;
            double s = double.IsFinite(scale) && scale > 0 ? scale : 1;
            return new Part(sum / count / s, 1, 1);
        }

        double absolute = 0, loss = 0;
        int valid = 0;
        for (int h = 0; h < actual.Length; h++)
        {
            if (double.IsNaN(actual[h])) continue;
            absolute += Math.Abs(actual[h]);
            valid++;
        }
        if (valid == 0 || levels.Count == 0) return default;
        for (int q = 0; q < levels.Count; q++)
            loss += 2 * ErrorSums.PinballLoss(actual, quantiles[q].AsSpan(0, actual.Length), levels[q]);
        return new Part(loss / levels.Count, absolute, 1);
    }

    /// <summary>
    /// The score over a set of series from their per-series sums: MASE averages the series' scores, WQL pools the sums.
    /// </summary>
    public static double Aggregate(SelectionMetric metric, IEnumerable<Part> perSeries)
    {
        if (metric == SelectionMetric.Wql)
        {
            var total = default(Part);
            foreach (var part in perSeries) total += part;
            return total.Value;
        }
        double sum = 0;
        int count = 0;
        foreach (var part in perSeries)
        {
            double value = part.Value;
            if (!double.IsFinite(value)) continue;
            sum += value;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
