using Forecast.Core.Models;

namespace Forecast.Trainer.Auto;

/// <summary>
/// <c>model.auto.calibration: scale</c>: one factor per series and option that widens or narrows every quantile's
/// distance from the point forecast, q' = mean + s·(q − mean), fitted by minimising the option's weighted quantile
/// loss over the series' backtest windows — a per-series recalibration of the model's intervals from its own
/// out-of-sample errors, in the spirit of statsforecast's <c>ConformalIntervals</c> (intervals from the point
/// forecast's cross-validation errors) but keeping the model's shape over the horizon and levels, so four windows are
/// enough to fit it. Whether the scaled quantiles are better is itself judged on the backtest, cross-fitted: each
/// window is scored with the factor fitted on the other windows (leave one window out), never on the window scored,
/// and never on the evaluation holdout (which the backtest does not contain).
/// </summary>
internal static class IntervalScaling
{
    /// <summary>The factors searched: from a tenth to ten times the model's own spread.</summary>
    public const double Smallest = 0.1, Largest = 10;

    private const int Iterations = 40;

    /// <summary>One backtest window of one series: what happened, what the option forecast, and the window's MASE scale.</summary>
    public readonly record struct Item(double[] Actual, SeriesForecast Forecast, double Scale);

    /// <summary>
    /// The factor with the least pooled WQL over <paramref name="items"/> (golden-section search on log s: the loss is
    /// convex in s, a sum of pinball losses of affine functions of s); 1 when scaling gains nothing.
    /// </summary>
    public static double Fit(IReadOnlyList<Item> items, IReadOnlyList<double> levels)
    {
        if (items.Count == 0 || levels.Count == 0) return 1;
        double Loss(double logScale) => LossOf(items, levels, Math.Exp(logScale));
        double a = Math.Log(Smallest), b = Math.Log(Largest);
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double x1 = b - ratio * (b - a), x2 = a + ratio * (b - a);
        double f1 = Loss(x1), f2 = Loss(x2);
        for (int k = 0; k < Iterations; k++)
        {
            if (f1 <= f2) { b = x2; x2 = x1; f2 = f1; x1 = b - ratio * (b - a); f1 = Loss(x1); }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + ratio * (b - a); f2 = Loss(x2); }
        }
        var (best, least) = f1 <= f2 ? (x1, f1) : (x2, f2);
        // Keep the model's own intervals unless the fitted factor is strictly better (flat losses, e.g. no spread at all).
        return least < LossOf(items, levels, 1) ? Math.Exp(best) : 1;
    }

    /// <summary>
    /// The option's backtest WQL with its quantiles scaled, each window by the factor fitted on the other windows; null
    /// with fewer than two windows (nothing to fit on but the window scored).
    /// </summary>
    public static BacktestLoss.Part? CrossFitted(IReadOnlyList<Item> items, IReadOnlyList<double> levels)
    {
        if (items.Count < 2 || levels.Count == 0) return null;
        var part = default(BacktestLoss.Part);
        for (int k = 0; k < items.Count; k++)
        {
            var others = items.Where((_, j) => j != k).ToList();
            var scaled = Apply(items[k].Forecast, Fit(others, levels));
            part += BacktestLoss.Of(SelectionMetric.Wql, items[k].Actual, scaled.Mean, scaled.Quantiles, levels, double.NaN);
        }
        return part;
    }

    /// <summary>The forecast with every quantile's distance from the point forecast multiplied by <paramref name="scale"/>.</summary>
    public static SeriesForecast Apply(SeriesForecast forecast, double scale)
    {
        if (scale == 1) return forecast;
        var mean = forecast.Mean;
        var quantiles = new double[forecast.Quantiles.Length][];
        for (int q = 0; q < quantiles.Length; q++)
        {
            var row = forecast.Quantiles[q];
            var scaled = new double[row.Length];
            for (int h = 0; h < row.Length; h++) scaled[h] = mean[h] + scale * (row[h] - mean[h]);
            quantiles[q] = scaled;
        }
        return forecast with { Quantiles = quantiles };
    }

    /// <summary>The pooled backtest WQL numerator of the items with their quantiles scaled (the evaluation's pinball loss).</summary>
    private static double LossOf(IReadOnlyList<Item> items, IReadOnlyList<double> levels, double scale)
    {
        double loss = 0;
        foreach (var (actual, forecast, _) in items)
            loss += BacktestLoss.Of(SelectionMetric.Wql, actual, forecast.Mean, Apply(forecast, scale).Quantiles, levels, double.NaN).Loss;
        return loss;
    }
}
