namespace Forecast.Bench.DataLoading;

/// <summary>The process' peak resident set (VmHWM in /proc/self/status on Linux; peak working set elsewhere), in MiB.</summary>
internal static class PeakMemory
{
    public static double MiB()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        return System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
