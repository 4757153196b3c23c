using System.Globalization;
using System.Text;
using Forecast.Core.Models;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Writes forecasts as long-format CSV: unique_id, ds, mean, q0.1, ... (one row per series and step). Optionally with
/// the evaluation window and the actual value (evaluation forecasts). Numbers round-trip exactly ("R" format).
/// </summary>
public static class ForecastCsvWriter
{
    public static byte[] Write(IReadOnlyList<SeriesForecast> forecasts, IReadOnlyList<double> quantileLevels) =>
        Write([(null, forecasts, null)], quantileLevels);

    /// <param name="windows">Per evaluation window: its index (null to leave the column out), forecasts and actuals (null to leave y out).</param>
    public static byte[] Write(IReadOnlyList<(int? Window, IReadOnlyList<SeriesForecast> Forecasts, IReadOnlyList<double[]>? Actuals)> windows, IReadOnlyList<double> quantileLevels)
    {
        bool withWindow = windows.Any(w => w.Window is not null), withActuals = windows.Any(w => w.Actuals is not null);
        string timeFormat = ForecastColumns.TimeFormat(windows.SelectMany(w => w.Forecasts).SelectMany(f => f.Timestamps));
        var csv = new StringBuilder();
        csv.Append(ForecastColumns.Id);
        if (withWindow) csv.Append(",window");
        csv.Append(',').Append(ForecastColumns.Time);
        if (withActuals) csv.Append(",y");
        csv.Append(',').Append(ForecastColumns.Mean);
        foreach (double level in quantileLevels) csv.Append(',').Append(ForecastColumns.Quantile(level));
        csv.Append('\n');
        foreach (var (window, forecasts, actuals) in windows)
        {
            for (int i = 0; i < forecasts.Count; i++)
            {
                var f = forecasts[i];
                string id = Quote(f.Id);
                for (int h = 0; h < f.Mean.Length; h++)
                {
                    csv.Append(id);
                    if (withWindow) csv.Append(',').Append(window?.ToString(CultureInfo.InvariantCulture));
                    csv.Append(',').Append(f.Timestamps[h].ToString(timeFormat, CultureInfo.InvariantCulture));
                    if (withActuals) csv.Append(',').Append(Number(actuals![i][h]));
                    csv.Append(',').Append(Number(f.Mean[h]));
                    for (int q = 0; q < f.Quantiles.Length; q++) csv.Append(',').Append(Number(f.Quantiles[q][h]));
                    csv.Append('\n');
                }
            }
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
