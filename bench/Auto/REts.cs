using System.Diagnostics;
using System.Globalization;

namespace Forecast.Auto.Bench;

/// <summary>
/// R forecast 8.20's ets() timed per series through Rscript (r/ets_timing.R), on a sample of series evenly spaced over the
/// dataset's file order; the whole dataset's time is extrapolated from it (mean × series count), never measured.
/// </summary>
internal static class REts
{
    public static async Task<IReadOnlyList<(string Id, double Seconds)>?> TimeAsync(SharedDataset dataset, int count)
    {
        var ids = dataset.LoadValues().Keys.ToList();
        var sample = Enumerable.Range(0, count).Select(i => ids[(int)Math.Round(i * (ids.Count - 1.0) / Math.Max(1, count - 1))]).Distinct().ToList();
        string script = Path.Combine(AppContext.BaseDirectory, "r", "ets_timing.R");
        var start = new ProcessStartInfo("Rscript") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { script, dataset.File, dataset.Horizon.ToString(CultureInfo.InvariantCulture), dataset.SeasonLength.ToString(CultureInfo.InvariantCulture), string.Join(',', sample) })
            start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            string output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) return null;
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (l.Split(',')[0], double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)))];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no Rscript on this machine
        }
    }

    public static string Describe(IReadOnlyList<(string Id, double Seconds)> timed, int seriesCount)
    {
        var seconds = timed.Select(t => t.Seconds).ToList();
        var ids = timed.Select(t => t.Id);
        var sorted = seconds.Order().ToList();
        double median = sorted[sorted.Count / 2], mean = seconds.Average();
        return FormattableString.Invariant($"median {median:F2} s, mean {mean:F2} s per series → ≈ {mean * seriesCount:F0} s for all {seriesCount} series on one core (extrapolated: mean × {seriesCount}); sample {string.Join(",", ids)}");
    }
}
