using System.Globalization;
using System.Text;

namespace Forecast.Core.Data;

/// <summary>
/// Parses target and covariate cells: invariant decimal numbers ("1.5", "-2e3"); empty cells and the usual
/// missing-value markers (NA, N/A, NaN, null, None, as written by R, pandas and SQL exports) become NaN.
/// </summary>
public static class ValueParser
{
    public const string AcceptedForms =
        "use a finite number within ±1e100 with '.' as decimal separator, or leave the cell empty (or NA/NaN) for a missing value";

    /// <summary>
    /// The largest magnitude accepted. Metrics square errors and sum them, STL and plots take ranges: values near
    /// double's limit (1e308) overflow to infinity there, giving all-NaN metrics or a plotting failure. No measured
    /// quantity comes near 1e100; data that does must be rescaled.
    /// </summary>
    public const double MaxMagnitude = 1e100;

    /// <summary>Whether a parsed value is usable: finite and within ±<see cref="MaxMagnitude"/>.</summary>
    public static bool IsUsable(double value) => Math.Abs(value) <= MaxMagnitude;

    public static bool TryParse(ReadOnlySpan<byte> s, out double value)
    {
        s = s.Trim((byte)' ');
        if (s.Length == 0 || IsMissingMarker(s)) { value = double.NaN; return true; }
        // Infinities ("Infinity", 1e400) and values near them (1e308) would poison every mean, squared error and
        // decomposition downstream: not a value.
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && IsUsable(value)) return true;
        value = double.NaN;
        return false;
    }

    public static bool TryParse(ReadOnlySpan<char> s, out double value)
    {
        s = s.Trim();
        if (s.Length > 128) { value = double.NaN; return false; }
        Span<byte> utf8 = stackalloc byte[s.Length * 3];
        int n = Encoding.UTF8.GetBytes(s, utf8);
        return TryParse(utf8[..n], out value);
    }

    private static bool IsMissingMarker(ReadOnlySpan<byte> s) =>
        Ascii.EqualsIgnoreCase(s, "NA"u8) || Ascii.EqualsIgnoreCase(s, "N/A"u8) || Ascii.EqualsIgnoreCase(s, "NaN"u8)
        || Ascii.EqualsIgnoreCase(s, "null"u8) || Ascii.EqualsIgnoreCase(s, "None"u8) || Ascii.EqualsIgnoreCase(s, "#N/A"u8);
}
