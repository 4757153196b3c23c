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
}
