using System.Globalization;

namespace Forecast.Dashboard.Pages;

/// <summary>How pages print numbers and times: invariant culture, 4 significant digits, a dash for missing values.</summary>
public static class Formats
{
    public static string Metric(double value) => double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture) : "—";

    public static string Metric(IReadOnlyDictionary<string, double> values, string key) =>
        values.TryGetValue(key, out double v) ? Metric(v) : "—";

    public static string Metric(double? value) => value is { } v ? Metric(v) : "—";

    public static string Share(double value) => double.IsFinite(value) ? (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A CSS class for a ratio to seasonal naive: better (below 1) or worse.</summary>
    public static string RatioClass(IReadOnlyDictionary<string, double> ratios, string key) =>
        ratios.TryGetValue(key, out double v) && double.IsFinite(v) ? (v < 1 ? "better" : v > 1 ? "worse" : "") : "";
}
