using System.Globalization;

namespace Forecast.Chronos.Bench;

/// <summary>
/// This process's resident memory as Linux reports it (/proc/self/status and /proc/self/smaps): what the Chronos and
/// Chronos-2 benches print as peaks and breakdowns. bench/Chronos2 links this file.
/// </summary>
internal static class ResidentMemory
{
    /// <summary>The peak resident set so far (VmHWM), MiB.</summary>
    public static double PeakMiB() => StatusKiB("VmHWM:") / 1024.0;

    /// <summary>The resident set now (VmRSS), MiB.</summary>
    public static double CurrentMiB() => StatusKiB("VmRSS:") / 1024.0;

    /// <summary>
    /// Resident KiB of each mapping, in smaps order: the mapping's path (libtorch's code, memfd:…), its pseudo-name
    /// ([heap], [stack] …), or "" for anonymous memory (large tensors, the GC heap, the JIT's code).
    /// </summary>
    public static IEnumerable<(string Mapping, long ResidentKiB)> Mappings()
    {
        var mapping = "";
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["Rss:", var kiB, ..])
                yield return (mapping, long.Parse(kiB, CultureInfo.InvariantCulture));
            else if (fields.Length >= 5 && fields[0].Contains('-') && !fields[0].EndsWith(':'))
                mapping = fields.Length == 6 ? fields[5].Trim() : "";
        }
    }

    private static double StatusKiB(string field) =>
        double.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
