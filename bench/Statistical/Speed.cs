using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Bench;

/// <summary>
/// Per-series fit time of AutoEts / AutoArima next to R forecast 8.20's <c>ets()</c> / <c>auto.arima()</c> on the same
/// series in the same run: rounds alternate one Rscript pass (bench/Statistical/r/time-fits.R, each fit timed inside R)
/// with one pass of ours on one thread and, with <c>--parallel n</c>, one pass of ours fitting the candidate models of
/// each series n at a time (each fit timed alone), so all see the same machine load. Both sides first fit every series
/// once untimed (R in each of its processes), so the rounds time steady fits, not the first compilation of each code
/// path; ours prints its per-round totals and JIT time to show how steady they are. Per series the median over rounds
/// of the wall time and of the CPU time (R: user + system of its process by getrusage; ours: the whole process's by
/// getrusage, JIT, GC and worker threads included); the ratios are R's median totals over ours, with the load average
/// before and after. One thread against R: the CPU ratio; n threads: the wall ratio (R uses one core).
/// </summary>
internal static class Speed
{
    public static void Run(string root, string goldens, string dataRoot, IReadOnlyList<string> datasets, IReadOnlyList<string> methods,
        int seriesPerDataset, int rounds, int parallel)
    {
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Load()}");
        Console.WriteLine("dataset | method | series × rounds | R wall s/series (median) | R CPU s/series | ours 1 thread wall | ours 1 thread CPU | CPU ratio (1 thread) | ours n threads wall | ours n threads CPU | wall ratio (n threads) | load before → after");
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
                    var single = Model(method, 1);
                    var multi = Model(method, parallel);
                    // Warm-up: every series fitted once untimed (as R's script does in each of its processes), so the timed
                    // rounds see code that the JIT has compiled for every series' paths and a round's figure is a
                    // steady one; the process's remaining compilation shows in the per-round line below.
                    foreach (var (_, y) in picked)
                    {
                        single.Fit(y, data.SeasonLength);
                        if (parallel > 1) multi.Fit(y, data.SeasonLength);
                    }
                    var times = new Dictionary<string, Dictionary<string, List<double>>>();
                    foreach (string side in new[] { "rWall", "rCpu", "wall1", "cpu1", "wallN", "cpuN" })
                        times[side] = picked.ToDictionary(p => p.Id, _ => new List<double>());
                    var jitPerRound = new double[rounds];
                    for (int round = 0; round < rounds; round++)
                    {
                        foreach (var (id, seconds, cpu) in RunR(script, csv, data.SeasonLength, method))
                        {
                            times["rWall"][id].Add(seconds);
                            times["rCpu"][id].Add(cpu);
                        }
                        foreach (var (model, wall, cpuKey) in new[] { (single, "wall1", "cpu1"), (multi, "wallN", "cpuN") })
                        {
                            if (parallel == 1 && model == multi) continue;
                            double jitStart = JitInfo.GetCompilationTime().TotalMilliseconds;
                            foreach (var (id, y) in picked)
                            {
                                double cpuStart = ProcessCpuSeconds();
                                var watch = Stopwatch.StartNew();
                                model.Fit(y, data.SeasonLength);
                                times[wall][id].Add(watch.Elapsed.TotalSeconds);
                                times[cpuKey][id].Add(ProcessCpuSeconds() - cpuStart);
                            }
                            if (model == single) jitPerRound[round] = JitInfo.GetCompilationTime().TotalMilliseconds - jitStart;
                        }
                    }
                    double[] Medians(string side) => [.. picked.Select(p => times[side][p.Id].Count == 0 ? double.NaN : Median([.. times[side][p.Id]]))];
                    var (rWall, rCpu, wall1, cpu1, wallN, cpuN) = (Medians("rWall"), Medians("rCpu"), Medians("wall1"), Medians("cpu1"), Medians("wallN"), Medians("cpuN"));
                    string parallelColumns = parallel == 1 ? "— | — | —" : FormattableString.Invariant(
                        $"{Median([.. wallN]):G4} | {Median([.. cpuN]):G4} | {rWall.Sum() / wallN.Sum():F1}×");
                    Console.WriteLine(FormattableString.Invariant(
                        $"{name} | {method} | {picked.Count} × {rounds} | {Median([.. rWall]):G4} | {Median([.. rCpu]):G4} | {Median([.. wall1]):G4} | {Median([.. cpu1]):G4} | {rCpu.Sum() / cpu1.Sum():F1}× | {parallelColumns} | {loadBefore} → {Load()}"));
                    // Per round (comment line): ours on one thread, all series, with the JIT's compilation time in that round.
                    Console.WriteLine("#   ours 1 thread CPU s per round (all series; JIT ms): " + string.Join(", ", Enumerable.Range(0, rounds).Select(r =>
                        FormattableString.Invariant($"{picked.Sum(p => times["cpu1"][p.Id][r]):G4} ({jitPerRound[r]:F0})"))));
                    // Per series (comment lines): which fits carry the totals.
                    for (int i = 0; i < picked.Count; i++)
                        Console.WriteLine(FormattableString.Invariant(
                            $"#   {picked[i].Id} ({picked[i].Y.Length} points): R CPU {rCpu[i]:G4} s, ours {cpu1[i]:G4} s, {rCpu[i] / cpu1[i]:F1}×"));
                }
            }
            finally
            {
                File.Delete(csv);
            }
        }
    }

    /// <summary>getrusage(RUSAGE_SELF): user + system CPU seconds of the whole process, to the microsecond.</summary>
    internal static double ProcessCpuSeconds()
    {
        var usage = new long[18]; // struct rusage on 64-bit Linux: two timevals, then 14 longs
        if (GetRusage(0, usage) != 0) throw new InvalidOperationException("getrusage failed.");
        return usage[0] + usage[1] * 1e-6 + usage[2] + usage[3] * 1e-6;
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRusage(int who, [Out] long[] usage);

    /// <summary>n series spread evenly over the dataset (all of them when it has at most n).</summary>
    internal static List<GoldenSeries> Pick(IReadOnlyList<GoldenSeries> series, int n)
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

    private static IStatisticalModel Model(string method, int parallel) => method switch
    {
        "ets" => new AutoEts { MaxDegreeOfParallelism = parallel },
        "arima" => new AutoArima { MaxDegreeOfParallelism = parallel },
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
