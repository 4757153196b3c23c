using System.Diagnostics;
using System.Globalization;

namespace Forecast.Prophet.Bench;

/// <summary>
/// Fits prophet (defaults) to every M4-hourly series (long CSV unique_id,ds,y; last 48 points held out) in parallel
/// over the cores and forecasts the 48 hours with 1000-path intervals: the workload of the Trainer's 414-series goal.
/// Reports wall time and sMAPE / MASE (m = 24), on all series and on the 24 series of R prophet 1.0's baseline.
/// </summary>
internal static class M4HourlyBenchmark
{
    private const int Horizon = 48;

    public static void Run(string dataPath, string? baselinePath)
    {
        var series = ReadLong(dataPath);
        var baselineIds = baselinePath is not null && File.Exists(baselinePath) ? ReadBaselineProphet(baselinePath) : null;
        var results = new (string Id, double Smape, double Mase)[series.Count];
        var stopwatch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Parallel.For(0, series.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (id, ds, y) = series[i];
            var n = ds.Length - Horizon;
            var model = new Prophet(new ProphetOptions { Seed = 1 });
            model.Fit(new ProphetFrame(ds[..n], y[..n]));
            var forecast = model.Predict(new ProphetFrame(ds[n..]));
            results[i] = (id, Smape(y[n..], forecast.Yhat), Mase(y[..n], y[n..], forecast.Yhat, 24));
        });
        var wall = stopwatch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"m4_hourly: {series.Count} series fitted + 48-step forecasts with 1000-path intervals in {wall:F1} s wall ({cpuSeconds:F1} s CPU) on {Environment.ProcessorCount} cores"));
        Console.WriteLine(FormattableString.Invariant(
            $"  all series: sMAPE {results.Average(r => r.Smape):F2}, MASE {results.Average(r => r.Mase):F3}"));
        if (baselineIds is not null)
        {
            var subset = results.Where(r => baselineIds.ContainsKey(r.Id)).ToArray();
            var rMetrics = series.Where(s => baselineIds.ContainsKey(s.Id)).Select(s =>
            {
                var n = s.Y.Length - Horizon;
                var point = baselineIds[s.Id];
                return (Smape: Smape(s.Y[n..], point), Mase: Mase(s.Y[..n], s.Y[n..], point, 24));
            }).ToArray();
            Console.WriteLine(FormattableString.Invariant(
                $"  R prophet 1.0 baseline subset ({subset.Length} series): ours sMAPE {subset.Average(r => r.Smape):F2} MASE {subset.Average(r => r.Mase):F3}; R prophet sMAPE {rMetrics.Average(v => v.Smape):F2} MASE {rMetrics.Average(v => v.Mase):F3}"));
        }
    }

    private static List<(string Id, DateTime[] Ds, double[] Y)> ReadLong(string path)
    {
        var rows = File.ReadLines(path).Skip(1).Select(line => line.Split(',')).Select(f => (Id: f[0].Trim('"'), Ds: ProphetFrame.ParseDate(f[1].Trim('"'))!.Value, Y: double.Parse(f[2], CultureInfo.InvariantCulture)));
        return rows.GroupBy(r => r.Id).Select(g => (g.Key, g.Select(r => r.Ds).ToArray(), g.Select(r => r.Y).ToArray())).ToList();
    }

    /// <summary>R prophet's 48-step point forecasts per series from the baseline file (method "prophet").</summary>
    private static Dictionary<string, double[]> ReadBaselineProphet(string path)
    {
        var lines = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).Where(f => f[3].Trim('"') == "prophet");
        return lines.GroupBy(f => f[0].Trim('"')).ToDictionary(
            g => g.Key,
            g => g.OrderBy(f => int.Parse(f[2], CultureInfo.InvariantCulture)).Select(f => double.Parse(f[5], CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>M4 sMAPE: mean of 200 |y - ŷ| / (|y| + |ŷ|).</summary>
    private static double Smape(double[] y, double[] yhat) =>
        y.Zip(yhat).Average(p => 200 * Math.Abs(p.First - p.Second) / (Math.Abs(p.First) + Math.Abs(p.Second)));

    /// <summary>M4 MASE with seasonal period m on the training part.</summary>
    private static double Mase(double[] train, double[] y, double[] yhat, int m)
    {
        var scale = Enumerable.Range(m, train.Length - m).Average(t => Math.Abs(train[t] - train[t - m]));
        return y.Zip(yhat).Average(p => Math.Abs(p.First - p.Second)) / scale;
    }
}
