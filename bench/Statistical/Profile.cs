using System.Diagnostics;
using System.Globalization;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Bench;

/// <summary>
/// Fits the same series again and again for a profiler (perf with DOTNET_PerfMapEnabled=1): the per-fit wall time and
/// the allocations per fit, one thread, after a warm-up.
/// </summary>
internal static class Profile
{
    public static void Run(string goldens, string dataRoot, string dataset, string method, int seriesCount, double seconds, int parallel,
        IReadOnlyList<string>? ids = null, int drop = 0)
    {
        var data = RGolden.LoadDataset(goldens, dataset, Path.Combine(dataRoot, dataset, "data.csv"));
        // The series the speed comparison picks (spread evenly over the dataset), or those named.
        var chosen = ids is not null ? [.. ids.Select(id => data.Series.Single(s => s.Id == id))] : Speed.Pick(data.Series, seriesCount);
        // --drop k: the series without its last k training points (an earlier backtest window, as model: auto fits it).
        var picked = chosen.Select(s => s.Context(data.MaxContext)[..^drop]).ToList();
        // "arima:p,d,q,P,D,Q": one fixed order re-estimated (R's Arima(y, order, seasonal)), as model: auto's later windows do.
        IStatisticalModel model = method == "ets" ? new AutoEts { MaxDegreeOfParallelism = parallel }
            : method.StartsWith("arima:", StringComparison.Ordinal) ? FixedOrder(method["arima:".Length..], data.SeasonLength)
            : new AutoArima { MaxDegreeOfParallelism = parallel };
        foreach (var y in picked) model.Fit(y, data.SeasonLength);
        double cpu = Speed.ProcessCpuSeconds();
        var watch = Stopwatch.StartNew();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        int fits = 0;
        double fastest = double.PositiveInfinity;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            // The fastest pass over the series: the least disturbed by other work on a shared machine.
            double start = watch.Elapsed.TotalMilliseconds;
            foreach (var y in picked) { model.Fit(y, data.SeasonLength); fits++; }
            fastest = Math.Min(fastest, watch.Elapsed.TotalMilliseconds - start);
        }
        foreach (var y in picked)
        {
            double start = Speed.ProcessCpuSeconds();
            var fit = model.Fit(y, data.SeasonLength);
            double ms = (Speed.ProcessCpuSeconds() - start) * 1e3;
            Console.WriteLine(FormattableString.Invariant($"{fit.Description}: first forecast {fit.Forecast(data.Horizon).Mean[0]:R} ({y.Length} points, {ms:F1} ms CPU)"));
        }
        if (fits > 0)
            Console.WriteLine(FormattableString.Invariant(
            $"{dataset} {method}: {fits} fits, {watch.Elapsed.TotalMilliseconds / fits:F3} ms/fit wall, {(Speed.ProcessCpuSeconds() - cpu) * 1e3 / fits:F3} ms/fit CPU, fastest pass {fastest / picked.Count:F3} ms/fit wall, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / fits / 1024.0:F1} KiB allocated/fit, lengths {string.Join(' ', picked.Select(p => p.Length))}"));
    }

    private static FixedOrderArima FixedOrder(string orders, int period)
    {
        var o = orders.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new FixedOrderArima(new ArimaOrder(o[0], o[1], o[2], o[3], o[4], o[5], period)) { IncludeMean = o[1] + o[4] == 0 };
    }
}
