using System.Security.Cryptography;
using System.Text;

namespace Forecast.Core.Artifacts;

/// <summary>Run ids that sort by time and say what ran: 20261127T061500Z-default-3f9a1c.</summary>
public static class RunIds
{
    public static string New(string runName, DateTime utcNow)
    {
        var slug = new StringBuilder();
        foreach (char c in runName.ToLowerInvariant())
            slug.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        string name = slug.Length == 0 ? "run" : slug.ToString().Trim('-');
        return $"{utcNow:yyyyMMdd'T'HHmmss'Z'}-{name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
    }

    /// <summary>The key prefix of a run's folder: runs/&lt;run-id&gt;/.</summary>
    public static string Prefix(string runId) => $"runs/{runId}/";

    /// <summary>
    /// Whether <paramref name="runId"/> can name a run folder: 1–128 ASCII letters, digits, '-', '_' or '.', starting
    /// with a letter or digit (so never "..", never a separator). Readers check ids from URLs with this before any
    /// store access, which rules out path traversal.
    /// </summary>
    public static bool IsValid(string? runId)
    {
        if (string.IsNullOrEmpty(runId) || runId.Length > 128 || !char.IsAsciiLetterOrDigit(runId[0])) return false;
        foreach (char c in runId)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        return !runId.Contains("..", StringComparison.Ordinal);
    }
}
