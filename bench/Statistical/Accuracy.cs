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
/// the holdout, next to the aggregate MASE of R's row in the shared baselines (baselines/summary.csv: ets, auto_arima,
/// theta). Where no golden file exists for a method, ours runs on the baseline's series alone (form columns empty).
/// </summary>
internal static class Accuracy
{
    public static void Run(string goldens, string dataRoot, IReadOnlyList<string> datasets, IReadOnlyList<string> methods, bool details)
    {
        var baselines = Baselines(dataRoot);
        Console.WriteLine("dataset | method | series | same form | max |Δmean|/scale (same form) | MASE ours | MASE R (goldens) | MASE R (baselines) | ours / baselines | our fit s/series");
        foreach (string name in datasets)
        {
            var data = RGolden.LoadDataset(goldens, name, Path.Combine(dataRoot, name, "data.csv"));
            foreach (string method in methods)
            {
                string file = Path.Combine(goldens, "r-forecast", name, method + "_models.csv");
                baselines.TryGetValue((name, BaselineMethod(method)), out var baseline);
                if (!File.Exists(file) && baseline.Ids is null) continue;
                var fits = File.Exists(file) ? RGolden.LoadFits(goldens, name, method) : null;
                var rows = new ConcurrentBag<(string Id, string? Ours, string? R, double Diff, double MaseOurs, double MaseR, double Seconds, string? Error)>();
                Parallel.ForEach(data.Series.Where(s => fits?.ContainsKey(s.Id) ?? baseline.Ids!.Contains(s.Id)), series =>
                {
                    var golden = fits?[series.Id];
                    var context = series.Context(data.MaxContext);
                    double scale = Mase.Scale(series.Train, data.SeasonLength);
                    var start = DateTime.UtcNow;
                    try
                    {
                        IFittedModel fit = Model(method).Fit(context, data.SeasonLength);
                        double seconds = (DateTime.UtcNow - start).TotalSeconds;
                        var mean = fit.Forecast(data.Horizon).Mean;
                        double diff = 0;
                        if (golden is not null && golden.Ok && fit.Description == golden.Form)
                            for (int h = 0; h < mean.Length; h++) diff = Math.Max(diff, Math.Abs(mean[h] - golden.Mean[h]) / scale);
                        else diff = double.NaN;
                        double maseR = golden is not null && golden.Ok ? Mase.Of(series.Actual, golden.Mean, scale) : double.NaN;
                        rows.Add((series.Id, fit.Description, golden?.Form, diff, Mase.Of(series.Actual, mean, scale), maseR, seconds, null));
                    }
                    catch (Exception e) when (e is ArgumentException or ModelFitException or NotSupportedException)
                    {
                        rows.Add((series.Id, null, golden?.Form, double.NaN, double.NaN, double.NaN, 0, e.Message));
                    }
                });
                var list = rows.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
                int same = list.Count(r => r.R is not null && r.Ours == r.R);
                double maxDiff = list.Where(r => double.IsFinite(r.Diff)).Select(r => r.Diff).DefaultIfEmpty(0).Max();
                double maseOurs = Mase.Mean(list.Select(r => r.MaseOurs));
                double maseR = Mase.Mean(list.Select(r => r.MaseR));
                string sameText = fits is null ? "(no goldens)" : FormattableString.Invariant($"{same} ({100.0 * same / list.Count:F1}%)");
                string maseRText = fits is null ? "" : FormattableString.Invariant($"{maseR:F4}");
                string baselineText = baseline.Ids is null ? "" : FormattableString.Invariant($"{baseline.Mase:F4} ({baseline.Ids.Count} series)");
                // The ratio only when both scored the same series (the hourly ARIMA goldens cover part of the baseline's).
                bool sameSeries = baseline.Ids is not null && baseline.Ids.SetEquals(list.Select(r => r.Id));
                string ratioText = sameSeries ? FormattableString.Invariant($"{maseOurs / baseline.Mase:F4}") : "";
                Console.WriteLine(FormattableString.Invariant(
                    $"{name} | {method} | {list.Count} | {sameText} | {(fits is null ? "" : maxDiff.ToString("G3", CultureInfo.InvariantCulture))} | {maseOurs:F4} | {maseRText} | {baselineText} | {ratioText} | {list.Average(r => r.Seconds):F4}"));
                if (details)
                {
                    foreach (var r in list.Where(r => r.Ours != r.R || r.Diff > 1e-3 || r.Error is not null))
                        Console.WriteLine(FormattableString.Invariant($"    {r.Id}: ours {r.Ours ?? r.Error} R {r.R} diff {r.Diff:G3} MASE {r.MaseOurs:F4} vs {r.MaseR:F4}"));
                }
            }
        }
    }

    private static string BaselineMethod(string method) => method == "arima" ? "auto_arima" : method;

    /// <summary>The shared baselines' aggregate MASE per (dataset, method) and the series each was scored on.</summary>
    private static Dictionary<(string Dataset, string Method), (double Mase, HashSet<string>? Ids)> Baselines(string dataRoot)
    {
        var result = new Dictionary<(string, string), (double, HashSet<string>?)>();
        string summary = Path.Combine(dataRoot, "baselines", "summary.csv");
        if (!File.Exists(summary)) return result;
        var header = RGolden.ReadCsv(summary).First();
        int dataset = Array.IndexOf(header, "dataset"), method = Array.IndexOf(header, "method"), mase = Array.IndexOf(header, "MASE");
        foreach (var row in RGolden.ReadCsv(summary).Skip(1))
        {
            string perSeries = Path.Combine(dataRoot, "baselines", row[dataset] + ".csv");
            if (!File.Exists(perSeries)) continue;
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in RGolden.ReadCsv(perSeries).Skip(1))
                if (line[3] == row[method]) ids.Add(line[0]);
            result[(row[dataset], row[method])] = (double.Parse(row[mase], CultureInfo.InvariantCulture), ids);
        }
        return result;
    }

    private static IStatisticalModel Model(string method) => method switch
    {
        "ets" => new AutoEts(),
        "arima" => new AutoArima(),
        "theta" => new AutoTheta(),
        _ => throw new ArgumentException($"Unknown method {method}."),
    };
}
