using System.Collections.Concurrent;
using System.Globalization;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Tests.Golden;
using Forecast.Statistical.Theta;

namespace Forecast.Statistical.Bench;

/// <summary>
/// Our fits against R forecast 8.20's on every series of a dataset: how often the selected form is R's, how far the
/// point forecasts are from R's where it is (in units of the series' MASE scale), and the aggregate MASE of both on
/// the holdout.
/// </summary>
internal static class Accuracy
{
    public static void Run(string goldens, string dataRoot, IReadOnlyList<string> datasets, IReadOnlyList<string> methods, bool details)
    {
        Console.WriteLine("dataset | method | series | same form | max |Δmean|/scale (same form) | MASE ours | MASE R | ratio | our fit s/series");
        foreach (string name in datasets)
        {
            var data = RGolden.LoadDataset(goldens, name, Path.Combine(dataRoot, name, "data.csv"));
            foreach (string method in methods)
            {
                string file = Path.Combine(goldens, "r-forecast", name, method + "_models.csv");
                if (!File.Exists(file)) continue;
                var fits = RGolden.LoadFits(goldens, name, method);
                var rows = new ConcurrentBag<(string Id, string? Ours, string? R, double Diff, double MaseOurs, double MaseR, double Seconds, string? Error)>();
                Parallel.ForEach(data.Series.Where(s => fits.ContainsKey(s.Id)), series =>
                {
                    var golden = fits[series.Id];
                    var context = series.Context(data.MaxContext);
                    double scale = Mase.Scale(series.Train, data.SeasonLength);
                    var start = DateTime.UtcNow;
                    try
                    {
                        IFittedModel fit = Model(method).Fit(context, data.SeasonLength);
                        double seconds = (DateTime.UtcNow - start).TotalSeconds;
                        var mean = fit.Forecast(data.Horizon).Mean;
                        double diff = 0;
                        if (golden.Ok && fit.Description == golden.Form)
                            for (int h = 0; h < mean.Length; h++) diff = Math.Max(diff, Math.Abs(mean[h] - golden.Mean[h]) / scale);
                        else diff = double.NaN;
                        double maseR = golden.Ok ? Mase.Of(series.Actual, golden.Mean, scale) : double.NaN;
                        rows.Add((series.Id, fit.Description, golden.Form, diff, Mase.Of(series.Actual, mean, scale), maseR, seconds, null));
                    }
                    catch (Exception e) when (e is ArgumentException or ModelFitException or NotSupportedException)
                    {
                        rows.Add((series.Id, null, golden.Form, double.NaN, double.NaN, double.NaN, 0, e.Message));
                    }
                });
                var list = rows.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
                int same = list.Count(r => r.Ours == r.R);
                double maxDiff = list.Where(r => double.IsFinite(r.Diff)).Select(r => r.Diff).DefaultIfEmpty(0).Max();
                double maseOurs = Mase.Mean(list.Select(r => r.MaseOurs));
                double maseR = Mase.Mean(list.Select(r => r.MaseR));
                Console.WriteLine(FormattableString.Invariant(
                    $"{name} | {method} | {list.Count} | {same} ({100.0 * same / list.Count:F1}%) | {maxDiff:G3} | {maseOurs:F4} | {maseR:F4} | {maseOurs / maseR:F4} | {list.Average(r => r.Seconds):F4}"));
                if (details)
                {
                    foreach (var r in list.Where(r => r.Ours != r.R || r.Diff > 1e-3 || r.Error is not null))
                        Console.WriteLine(FormattableString.Invariant($"    {r.Id}: ours {r.Ours ?? r.Error} R {r.R} diff {r.Diff:G3} MASE {r.MaseOurs:F4} vs {r.MaseR:F4}"));
                }
            }
        }
    }

    private static IStatisticalModel Model(string method) => method switch
    {
        "ets" => new AutoEts(),
        "arima" => new AutoArima(),
        "theta" => new AutoTheta(),
        _ => throw new ArgumentException($"Unknown method {method}."),
    };
}
