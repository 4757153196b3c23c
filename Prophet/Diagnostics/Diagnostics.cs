namespace Forecast.Prophet;

/// <summary>
/// Time-series cross-validation and performance metrics (python/prophet/diagnostics.py: <c>generate_cutoffs</c>,
/// <c>cross_validation</c>, <c>prophet_copy</c>, <c>performance_metrics</c>, <c>rolling_mean_by_h</c>,
/// <c>rolling_median_by_h</c>; spec §14). Cutoffs are fitted in parallel (each on its own model copy).
/// </summary>
public static class Diagnostics
{
    public static readonly IReadOnlyList<string> ValidMetrics = ["mse", "rmse", "mae", "mape", "mdape", "smape", "coverage"];

    /// <summary>
    /// diagnostics.py <c>generate_cutoffs</c>: from max(ds) - horizon backwards by <paramref name="period"/> while
    /// the cutoff leaves <paramref name="initial"/> of history, skipping cutoffs with no data in (cutoff, cutoff + horizon].
    /// </summary>
    public static IReadOnlyList<DateTime> GenerateCutoffs(IReadOnlyList<DateTime> ds, TimeSpan horizon, TimeSpan initial, TimeSpan period)
    {
        var sorted = ds.Order().ToArray();
        var min = sorted[0];
        var max = sorted[^1];
        var cutoff = max - horizon;
        if (cutoff < min)
        {
            throw new ArgumentException($"Less data than horizon: the history spans {max - min}, the horizon is {horizon}.");
        }

        var result = new List<DateTime> { cutoff };
        while (result[^1] >= min + initial)
        {
            cutoff -= period;
            var c = cutoff;
            if (!sorted.Any(d => d > c && d <= c + horizon) && cutoff > min)
            {
                // No data in (cutoff, cutoff + horizon]: continue from the last date before the cutoff.
                cutoff = sorted.Last(d => d <= c) - horizon;
            }

            result.Add(cutoff);
        }

        result.RemoveAt(result.Count - 1);
        if (result.Count == 0)
        {
            throw new ArgumentException("Less data than horizon after initial window. Make horizon or initial shorter.");
        }

        result.Reverse();
        return result;
    }

    /// <summary>
    /// diagnostics.py <c>cross_validation</c>: for each cutoff, fits a copy of <paramref name="model"/> (same options,
    /// its fitted seasonalities, regressors and country holidays, same fit options) on the history up to the cutoff and
    /// predicts the history points in (cutoff, cutoff + horizon]. Defaults: period = horizon / 2,
    /// initial = max(3 horizon, longest seasonality period). Runs cutoffs in parallel (at most
    /// <paramref name="maxDegreeOfParallelism"/>, default the core count); <paramref name="progress"/> receives the
    /// number of finished cutoffs.
    /// </summary>
    public static CrossValidationResult CrossValidation(
        Prophet model,
        TimeSpan horizon,
        TimeSpan? period = null,
        TimeSpan? initial = null,
        IReadOnlyList<DateTime>? cutoffs = null,
        int? maxDegreeOfParallelism = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsFitted || model.History is null)
        {
            throw new InvalidOperationException("This is for copying a fitted Prophet object: fit the model before cross-validating it.");
        }

        var history = model.History;
        var ds = history.Ds;
        var periodMax = model.Seasonalities.Select(s => s.Period).DefaultIfEmpty(0).Max();
        var seasonalityDt = TimeSpan.FromDays(periodMax);
        IReadOnlyList<DateTime> chosen;
        if (cutoffs is null)
        {
            var step = period ?? horizon / 2;
            var start = initial ?? (3 * horizon > seasonalityDt ? 3 * horizon : seasonalityDt);
            chosen = GenerateCutoffs(ds, horizon, start, step);
        }
        else
        {
            if (cutoffs.Count == 0 || cutoffs.Min() <= ds.Min())
            {
                throw new ArgumentException("Minimum cutoff value is not strictly greater than min date in history.", nameof(cutoffs));
            }

            if (cutoffs.Max() > ds.Max() - horizon)
            {
                throw new ArgumentException("Maximum cutoff value is greater than end date minus horizon, no value for cross-validation remaining.", nameof(cutoffs));
            }

            chosen = cutoffs.Order().ToList();
        }

        var results = new (DateTime[] Ds, double[] Yhat, double[]? Lower, double[]? Upper, double[] Y)[chosen.Count];
        var finished = 0;
        var options = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount,
        };
        Parallel.For(0, chosen.Count, options, i =>
        {
            results[i] = SingleCutoffForecast(model, history, chosen[i], horizon, cancellationToken);
            progress?.Report(Interlocked.Increment(ref finished));
        });

        var withIntervals = model.Options.UncertaintySamples > 0;
        return new CrossValidationResult(
            results.SelectMany(r => r.Ds).ToArray(),
            results.SelectMany(r => r.Yhat).ToArray(),
            withIntervals ? results.SelectMany(r => r.Lower!).ToArray() : null,
            withIntervals ? results.SelectMany(r => r.Upper!).ToArray() : null,
            results.SelectMany(r => r.Y).ToArray(),
            results.SelectMany((r, i) => Enumerable.Repeat(chosen[i], r.Ds.Length)).ToArray());
    }

    private static (DateTime[] Ds, double[] Yhat, double[]? Lower, double[]? Upper, double[] Y) SingleCutoffForecast(
        Prophet model, ProphetFrame history, DateTime cutoff, TimeSpan horizon, CancellationToken cancellationToken)
    {
        var copy = model.CopyForCutoff(cutoff);
        var train = history.Where(i => history.Ds[i] <= cutoff);
        if (train.RowCount < 2)
        {
            throw new InvalidOperationException($"Less than two datapoints before cutoff {cutoff:yyyy-MM-dd HH:mm:ss}. Increase initial window.");
        }

        copy.Fit(train, model.FitOptions, cancellationToken);
        var test = history.Where(i => history.Ds[i] > cutoff && history.Ds[i] <= cutoff + horizon);
        var forecast = copy.Predict(test, cancellationToken);
        return (forecast.Ds, forecast.Yhat, forecast.YhatLower, forecast.YhatUpper, test.Select(SortOrder(test.Ds)).Y!);
    }

    private static int[] SortOrder(DateTime[] ds) =>
        Enumerable.Range(0, ds.Length).OrderBy(i => ds[i]).ThenBy(i => i).ToArray();

    /// <summary>
    /// diagnostics.py <c>performance_metrics</c>: metrics by horizon (ds - cutoff, or the month difference when
    /// <paramref name="monthly"/>), each a rolling mean (median for mdape) over <paramref name="rollingWindow"/> of
    /// the points, sorted by horizon (stable sort). A negative window gives per-point values.
    /// </summary>
    public static PerformanceMetricsResult PerformanceMetrics(CrossValidationResult cv, IReadOnlyList<string>? metrics = null,
        double rollingWindow = 0.1, bool monthly = false)
    {
        ArgumentNullException.ThrowIfNull(cv);
        var chosen = (metrics ?? ValidMetrics).ToList();
        if (chosen.Distinct().Count() != chosen.Count)
        {
            throw new ArgumentException("Input metrics must be a list of unique values.", nameof(metrics));
        }

        var unknown = chosen.Except(ValidMetrics).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Valid values for metrics are: {string.Join(", ", ValidMetrics)} (got {string.Join(", ", unknown)}).", nameof(metrics));
        }

        if (cv.YhatLower is null || cv.YhatUpper is null)
        {
            chosen.Remove("coverage");
        }

        var n = cv.RowCount;
        var horizonTicks = new long[n];
        for (var i = 0; i < n; i++)
        {
            horizonTicks[i] = monthly
                ? ((cv.Ds[i].Year - cv.Cutoff[i].Year) * 12) + cv.Ds[i].Month - cv.Cutoff[i].Month
                : (cv.Ds[i] - cv.Cutoff[i]).Ticks;
        }

        var order = Enumerable.Range(0, n).OrderBy(i => horizonTicks[i]).ToArray();
        var h = order.Select(i => (double)horizonTicks[i]).ToArray();
        var y = order.Select(i => cv.Y[i]).ToArray();
        var yhat = order.Select(i => cv.Yhat[i]).ToArray();
        if (chosen.Contains("mape") && y.Min(Math.Abs) < 1e-8)
        {
            chosen.Remove("mape"); // prophet: "Skipping MAPE because y close to 0"
        }

        var w = (int)(rollingWindow * n);
        if (w >= 0)
        {
            w = Math.Min(Math.Max(w, 1), n);
        }

        var results = new Dictionary<string, double[]>(StringComparer.Ordinal);
        double[]? horizons = null;
        foreach (var metric in chosen)
        {
            var values = metric switch
            {
                "mse" or "rmse" => y.Select((v, i) => (v - yhat[i]) * (v - yhat[i])).ToArray(),
                "mae" => y.Select((v, i) => Math.Abs(v - yhat[i])).ToArray(),
                "mape" or "mdape" => y.Select((v, i) => Math.Abs((v - yhat[i]) / v)).ToArray(),
                "smape" => y.Select((v, i) => Smape(v, yhat[i])).ToArray(),
                _ => order.Select((row, i) => cv.YhatLower![row] <= y[i] && y[i] <= cv.YhatUpper![row] ? 1.0 : 0.0).ToArray(),
            };
            var (hs, xs) = w < 0 ? (h, values) : metric == "mdape" ? RollingMedianByH(values, h, w) : RollingMeanByH(values, h, w);
            if (metric == "rmse")
            {
                xs = xs.Select(Math.Sqrt).ToArray();
            }

            horizons ??= hs;
            results[metric] = xs;
        }

        horizons ??= [];
        return new PerformanceMetricsResult(
            monthly ? new TimeSpan[horizons.Length] : horizons.Select(v => TimeSpan.FromTicks((long)v)).ToArray(),
            monthly ? horizons.Select(v => (int)v).ToArray() : null,
            results);
    }

    private static double Smape(double y, double yhat)
    {
        var value = Math.Abs(y - yhat) / ((Math.Abs(y) + Math.Abs(yhat)) / 2);
        return double.IsNaN(value) ? 0 : value;
    }

    /// <summary>
    /// diagnostics.py <c>rolling_mean_by_h</c>: group by horizon, then from the largest horizon down emit the mean
    /// of the last <paramref name="w"/> points, counting a partial group in proportion.
    /// </summary>
    public static (double[] Horizon, double[] Value) RollingMeanByH(double[] x, double[] h, int w)
    {
        var groups = h.Select((hv, i) => (hv, x[i])).GroupBy(p => p.hv).OrderBy(g => g.Key)
            .Select(g => (H: g.Key, Sum: g.Sum(p => p.Item2), Count: g.Count())).ToArray();
        var result = new double[groups.Length];
        var trailing = groups.Length - 1;
        double xSum = 0;
        var nSum = 0;
        for (var i = groups.Length - 1; i >= 0; i--)
        {
            xSum += groups[i].Sum;
            nSum += groups[i].Count;
            while (nSum >= w)
            {
                var excessN = nSum - w;
                var excessX = excessN * groups[i].Sum / groups[i].Count;
                result[trailing] = (xSum - excessX) / w;
                xSum -= groups[trailing].Sum;
                nSum -= groups[trailing].Count;
                trailing--;
            }
        }

        return (groups[(trailing + 1)..].Select(g => g.H).ToArray(), result[(trailing + 1)..]);
    }

    /// <summary>
    /// diagnostics.py <c>rolling_median_by_h</c>: for each horizon (largest first), the median of its points plus
    /// as many points of earlier horizons (in sorted order, nearest first) as needed to reach <paramref name="w"/>.
    /// </summary>
    public static (double[] Horizon, double[] Value) RollingMedianByH(double[] x, double[] h, int w)
    {
        var unique = h.Distinct().Order().ToArray();
        var resH = new List<double>();
        var resX = new List<double>();
        for (var i = unique.Length - 1; i >= 0; i--)
        {
            var hi = unique[i];
            var xs = x.Where((_, j) => h[j] == hi).ToList();
            var next = Array.IndexOf(h, hi) - 1;
            while (xs.Count < w && next >= 0)
            {
                xs.Add(x[next]);
                next--;
            }

            if (xs.Count < w)
            {
                break;
            }

            resH.Add(hi);
            resX.Add(Median(xs));
        }

        resH.Reverse();
        resX.Reverse();
        return (resH.ToArray(), resX.ToArray());
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[(n / 2) - 1] + values[n / 2]);
    }
}
