using System.Diagnostics;
using System.Globalization;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Bench;

/// <summary>
/// Per-series fit time of AutoEts / AutoArima next to R forecast 8.20's <c>ets()</c> / <c>auto.arima()</c> on the same
/// series in the same run: rounds alternate one Rscript pass (bench/Statistical/r/time-fits.R, each fit timed inside R)
/// with one pass of ours (one thread, each fit timed alone), so both see the same machine load. Per series the median
/// over rounds of the wall time and of the CPU time (R: user + system of its process; ours: the whole process's, JIT
/// and GC threads included, so ours is if anything overstated); the ratios are R's median totals over ours, with the
/// load average before and after. On a loaded machine the CPU-time ratio is the steadier figure.
/// </summary>
internal static class Speed
{
    public static void Run(string root, string goldens, string dataRoot, IReadOnlyList<string> datasets, IReadOnlyList<string> methods,
        int seriesPerDataset, int rounds)
    {
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Load()}");
        Console.WriteLine("dataset | method | series | rounds | R s/series (wall, median) | ours s/series (wall, median) | wall ratio (R total / ours) | R CPU s/series | ours CPU s/series | CPU ratio | load before → after");
        string script = Path.Combine(root, "bench", "Statistical", "r", "time-fits.R");
        foreach (string name in datasets)
        {
            var data = RGolden.LoadDataset(goldens, name, Path.Combine(dataRoot, name, "data.csv"));
            var picked = Pick(data.Series, seriesPerDataset).Select(s => (s.Id, Y: s.Context(data.MaxContext))).ToList();
            string csv = Path.Combine(Path.GetTempPath(), $"statistical-speed-{Environment.ProcessId}-{name}.csv");
            using (var writer = new StreamWriter(csv))
            {
                writer.WriteLine("unique_id,y");
                foreach (var (id, y) in picked)
                    foreach (double v in y) writer.WriteLine(FormattableString.Invariant($"{id},{v:R}"));
            }
            try
            {
                foreach (string method in methods)
                {
                    string loadBefore = Load();
                    var model = Model(method);
                    model.Fit(picked[0].Y, data.SeasonLength); // JIT warm-up, as R's untimed first fit
                    var rTimes = picked.ToDictionary(p => p.Id, _ => new List<double>());
                    var ourTimes = picked.ToDictionary(p => p.Id, _ => new List<double>());
                    var rCpu = picked.ToDictionary(p => p.Id, _ => new List<double>());
                    var ourCpu = picked.ToDictionary(p => p.Id, _ => new List<double>());
                    using var self = Process.GetCurrentProcess();
                    for (int round = 0; round < rounds; round++)
                    {
                        foreach (var (id, seconds, cpu) in RunR(script, csv, data.SeasonLength, method))
                        {
                            rTimes[id].Add(seconds);
                            rCpu[id].Add(cpu);
                        }
                        foreach (var (id, y) in picked)
                        {
                            self.Refresh();
                            var cpuStart = self.TotalProcessorTime;
                            var watch = Stopwatch.StartNew();
                            model.Fit(y, data.SeasonLength);
                            ourTimes[id].Add(watch.Elapsed.TotalSeconds);
                            self.Refresh();
                            ourCpu[id].Add((self.TotalProcessorTime - cpuStart).TotalSeconds);
                        }
                    }
                    var rMedian = picked.Select(p => Median(rTimes[p.Id])).ToArray();
                    var ourMedian = picked.Select(p => Median(ourTimes[p.Id])).ToArray();
                    var rCpuMedian = picked.Select(p => Median(rCpu[p.Id])).ToArray();
                    var ourCpuMedian = picked.Select(p => Median(ourCpu[p.Id])).ToArray();
                    Console.WriteLine(FormattableString.Invariant(
                        $"{name} | {method} | {picked.Count} | {rounds} | {Median([.. rMedian]):G4} | {Median([.. ourMedian]):G4} | {rMedian.Sum() / ourMedian.Sum():F1}× | {Median([.. rCpuMedian]):G4} | {Median([.. ourCpuMedian]):G4} | {rCpuMedian.Sum() / ourCpuMedian.Sum():F1}× | {loadBefore} → {Load()}"));
                }
            }
            finally
            {
                File.Delete(csv);
            }
        }
    }

    /// <summary>n series spread evenly over the dataset (all of them when it has at most n).</summary>
    private static List<GoldenSeries> Pick(IReadOnlyList<GoldenSeries> series, int n)
    {
        if (series.Count <= n) return [.. series];
        return [.. Enumerable.Range(0, n).Select(i => series[(int)Math.Round(i * (series.Count - 1) / (double)(n - 1))])];
    }

    private static IEnumerable<(string Id, double Seconds, double Cpu)> RunR(string script, string csv, int seasonLength, string method)
    {
        var info = new ProcessStartInfo("Rscript") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { script, csv, seasonLength.ToString(CultureInfo.InvariantCulture), method }) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Rscript did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"Rscript failed: {stderr.Result}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(','))
            .Select(f => (f[0], double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture)))
            .ToList();
    }

    private static IStatisticalModel Model(string method) => method switch
    {
        "ets" => new AutoEts(),
        "arima" => new AutoArima(),
        _ => throw new ArgumentException($"Speed compares ets and arima, not {method}."),
    };

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    private static string Load() => File.Exists("/proc/loadavg")
        ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
        : "n/a";
}
