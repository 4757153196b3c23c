using System.Security.Cryptography;
using System.Text;

namespace Forecast.Core.Artifacts;

/// <summary>
/// File names made from series ids (plots, EDA plots, per-series model files): characters other than ASCII letters,
/// digits, '-', '_' and '.' become '_', leading and trailing dots go, and a name longer than
/// <see cref="MaxLength"/> keeps its first characters plus a hash of the whole id, so any id fits every file system's
/// 255-byte limit with room for suffixes such as ".series.png". Clashes within one run get "-2", "-3" ...
/// </summary>
public static class SeriesFileNames
{
    /// <summary>The longest name returned before a clash suffix (64 characters of the id, '-', 16 hex digits of its SHA-256).</summary>
    public const int MaxLength = 81;

    private const int KeptPrefix = 64;

    /// <summary>A safe, bounded name for <paramref name="id"/> not yet in <paramref name="used"/> (which it is added to).</summary>
    public static string For(string id, HashSet<string> used)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(used);
        var sb = new StringBuilder(Math.Min(id.Length, MaxLength));
        foreach (char c in id) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        string name = sb.ToString().Trim('.');
        if (name.Length == 0) name = "series";
        if (name.Length > MaxLength)
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..16];
            name = $"{name[..KeptPrefix]}-{hash}";
        }
        string candidate = name;
        for (int k = 2; !used.Add(candidate); k++) candidate = $"{name}-{k}";
        return candidate;
    }
}
