using System.Collections.Concurrent;

namespace Forecast.Statistical.Tests.Golden;

/// <summary>Our fit of one golden series next to R's.</summary>
internal sealed record SeriesComparison(string Id, string OursForm, string? RForm, double Scale, double MaxMeanDiff, double MaxBoundDiff,
    double MaseOurs, double MaseR)
{
    public bool SameForm => OursForm == RForm;
}

/// <summary>
/// Fits every series of a golden dataset (in parallel) with one of our models and lines the result up with R's:
/// form, the largest point-forecast and interval-bound differences in units of the series' MASE scale, holdout MASE.
/// </summary>
internal static class GoldenComparison
{
    /// <summary>The datasets' files in Fixtures/datasets (the weekly M4 set as its 20-series subset).</summary>
    public static string DataFile(string dataset) => Path.Combine(RGolden.FixturesRoot, "datasets",
        (dataset == "m4_weekly" ? "m4_weekly_subset" : dataset) + ".csv.gz");

    public static IReadOnlyList<SeriesComparison> Run(string dataset, string method, Func<IStatisticalModel> model, Func<GoldenSeries, bool>? include = null)
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, dataset, DataFile(dataset));
        var fits = RGolden.LoadFits(RGolden.FixturesRoot, dataset, method);
        var results = new ConcurrentBag<SeriesComparison>();
        var series = data.Series.Where(s => fits.ContainsKey(s.Id) && (include?.Invoke(s) ?? true)).ToList();
        Parallel.ForEach(series, s =>
        {
            var golden = fits[s.Id];
            double scale = Mase.Scale(s.Train, data.SeasonLength);
            var fit = model().Fit(s.Context(data.MaxContext), data.SeasonLength);
            var levels = golden.Bounds.Keys.Order().ToArray();
            var forecast = fit.Forecast(data.Horizon, levels);
            double meanDiff = double.NaN, boundDiff = double.NaN;
            if (golden.Ok && fit.Description == golden.Form)
            {
                meanDiff = MaxDiff(forecast.Mean, golden.Mean) / scale;
                boundDiff = 0;
                for (int i = 0; i < levels.Length; i++)
                {
                    var (lower, upper) = golden.Bounds[levels[i]];
                    boundDiff = Math.Max(boundDiff, Math.Max(MaxDiff(forecast.Lower[i], lower), MaxDiff(forecast.Upper[i], upper)) / scale);
                }
            }
            results.Add(new SeriesComparison(s.Id, fit.Description, golden.Form, scale, meanDiff, boundDiff,
                Mase.Of(s.Actual, forecast.Mean, scale), golden.Ok ? Mase.Of(s.Actual, golden.Mean, scale) : double.NaN));
        });
        return [.. results.OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    private static double MaxDiff(double[] a, double[] b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
