using System.Globalization;

namespace Forecast.Core.Artifacts;

/// <summary>Column names of forecast tables, as statsforecast names them: unique_id, ds, mean and one column per quantile level (q0.1 ...).</summary>
public static class ForecastColumns
{
    public const string Id = "unique_id";
    public const string Time = "ds";
    public const string Mean = "mean";

    public static string Quantile(double level) => "q" + level.ToString("0.##########", CultureInfo.InvariantCulture);

    public const string DateFormat = "yyyy-MM-dd", DateTimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Timestamps as the input convention: dates when every time is midnight, else "yyyy-MM-dd HH:mm:ss" (UTC).</summary>
    public static string TimeFormat(IEnumerable<DateTime> timestamps) =>
        timestamps.All(t => t.TimeOfDay == TimeSpan.Zero) ? DateFormat : DateTimeFormat;
}
