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

    /// <summary>
    /// A CSS class for a ratio to seasonal naive of an error metric: better (below 1) or worse. Metrics where lower is
    /// not better (coverage: the share of actuals inside the interval, good when near its nominal level) get none.
    /// </summary>
    public static string RatioClass(IReadOnlyDictionary<string, double> ratios, string key) =>
        LowerIsBetter(key) && ratios.TryGetValue(key, out double v) ? RatioClass(v) : "";

    /// <summary>A CSS class for a ratio of error metrics (MASE, WQL, ...): better below 1, worse above.</summary>
    public static string RatioClass(double ratio) =>
        double.IsFinite(ratio) ? (ratio < 1 ? "better" : ratio > 1 ? "worse" : "") : "";

    private static bool LowerIsBetter(string metric) => !metric.StartsWith(Forecast.Core.Evaluation.MetricNames.Coverage, StringComparison.Ordinal);
}
