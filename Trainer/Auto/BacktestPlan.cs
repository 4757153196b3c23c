using Forecast.Core.Evaluation;
using Forecast.Core.Series;

namespace Forecast.Trainer.Auto;

/// <summary>
/// The rolling-origin windows <c>model: auto</c> scores its candidates on, cut from the histories it is given (so
/// always before any evaluation holdout, which the Trainer has already removed from them). Window w of W has its
/// cutoff at n - horizon - (W-1-w)·step, as the Trainer's own backtest (GluonTS <c>generate_instances</c>); a series
/// takes part in a window only when at least <c>min_history</c> points precede the cutoff, so short series have fewer
/// windows, or none.
/// </summary>
internal sealed class BacktestPlan
{
    private BacktestPlan(IReadOnlyList<BacktestWindow> windows, IReadOnlyList<SeriesItems> series)
    {
        Windows = windows;
        Series = series;
    }

    /// <summary>The windows in time order; each holds only the series long enough for it.</summary>
    public IReadOnlyList<BacktestWindow> Windows { get; }

    /// <summary>Per input series, its (window, position) pairs.</summary>
    public IReadOnlyList<SeriesItems> Series { get; }

    public static BacktestPlan Create(IReadOnlyList<TimeSeries> histories, int horizon, AutoSettings settings, Func<TimeSeries, int> seasonLength)
    {
        int step = settings.Step ?? horizon;
        var members = new List<int>[settings.Windows];
        for (int w = 0; w < members.Length; w++) members[w] = [];
        var items = new List<(int Window, int Position)>[histories.Count];
        for (int i = 0; i < histories.Count; i++)
        {
            items[i] = [];
            int m = seasonLength(histories[i]);
            int minHistory = settings.MinHistory ?? Math.Max(2 * m, 10);
            for (int w = 0; w < settings.Windows; w++)
            {
                int cutoff = histories[i].Length - horizon - (settings.Windows - 1 - w) * step;
                if (cutoff < minHistory) continue;
                items[i].Add((w, members[w].Count));
                members[w].Add(i);
            }
        }

        var windows = new BacktestWindow[settings.Windows];
        for (int w = 0; w < windows.Length; w++)
        {
            var series = members[w];
            var cut = new TimeSeries[series.Count];
            var actuals = new double[series.Count][];
            var scales = new double[series.Count];
            Dictionary<string, IReadOnlyDictionary<string, double[]>>? future = null;
            for (int j = 0; j < series.Count; j++)
            {
                var whole = histories[series[j]];
                int cutoff = whole.Length - horizon - (settings.Windows - 1 - w) * step;
                cut[j] = whole.Head(cutoff);
                actuals[j] = whole.Values[cutoff..(cutoff + horizon)];
                scales[j] = SeasonalScale.Of(cut[j].Values, seasonLength(whole));
                if (whole.Covariates.Count > 0)
                {
                    future ??= new(StringComparer.Ordinal);
                    future[whole.Id] = whole.Covariates.ToDictionary(c => c.Key, c => c.Value[cutoff..(cutoff + horizon)], StringComparer.Ordinal);
                }
            }
            windows[w] = new BacktestWindow(w, [.. series], cut, actuals, scales, future);
        }
        return new BacktestPlan(windows, [.. items.Select(list => new SeriesItems([.. list]))]);
    }
}

/// <summary>
/// One backtest cutoff: the series taking part (indices into the histories), their histories up to the cutoff, the
/// actuals of the horizon after it, the MASE scale of each history, and covariate values over the horizon.
/// </summary>
internal sealed record BacktestWindow(int Index, int[] Series, TimeSeries[] Histories, double[][] Actuals, double[] Scales,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>>? FutureCovariates);

/// <summary>The windows one series takes part in, and its position in each.</summary>
internal sealed record SeriesItems((int Window, int Position)[] Items)
{
    public int Count => Items.Length;
}
