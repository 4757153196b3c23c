using System.Globalization;

namespace Forecast.Chronos.Bench;

/// <summary>
/// CPU seconds of every thread of this process by name (/proc/self/task/*/stat, utime + stime): taken before and after
/// the timed calls (BENCH_THREAD_CPU=1), the difference shows who spent a call's CPU time — the calling thread, the
/// kernels' helper threads, or the runtime's own (tiered JIT, GC, finalizer) — on a machine shared with other work,
/// where wall times say little.
/// </summary>
internal static class ThreadTimes
{
    private static readonly double TicksPerSecond = 100;   // USER_HZ on Linux

    public static Dictionary<string, double> Snapshot()
    {
        var byName = new Dictionary<string, double>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue;       // the thread ended meanwhile
            }
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var name = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            // Fields after the name: state is 0; utime and stime are the 12th and 13th (stat's fields 14 and 15).
            var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture))
                / TicksPerSecond;
            byName[name] = byName.GetValueOrDefault(name) + seconds;
        }
        return byName;
    }

    /// <summary>Per thread name, the CPU seconds spent between two snapshots (the non-zero ones, largest first).</summary>
    public static string Difference(Dictionary<string, double> before, Dictionary<string, double> after) =>
        string.Join(", ", after.Select(pair => (pair.Key, Seconds: pair.Value - before.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Seconds > 0).OrderByDescending(pair => pair.Seconds)
            .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Seconds:F2}")));
}
