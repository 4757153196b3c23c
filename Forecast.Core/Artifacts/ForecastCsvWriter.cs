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
        var csv = new Utf8CsvBuilder(1 << 20);
        csv.Text(ForecastColumns.Id);
        if (withWindow) csv.Text("window");
        csv.Text(ForecastColumns.Time);
        if (withActuals) csv.Text("y");
        csv.Text(ForecastColumns.Mean);
        foreach (double level in quantileLevels) csv.Text(ForecastColumns.Quantile(level));
        csv.EndLine();
        foreach (var (window, forecasts, actuals) in windows)
        {
            for (int i = 0; i < forecasts.Count; i++)
            {
                var f = forecasts[i];
                for (int h = 0; h < f.Mean.Length; h++)
                {
                    csv.Text(f.Id);
                    if (withWindow)
                    {
                        if (window is { } index) csv.Integer(index);
                        else csv.Text("");
                    }
                    csv.Time(f.Timestamps[h], timeFormat);
                    if (withActuals) csv.Number(actuals![i][h]);
                    csv.Number(f.Mean[h]);
                    for (int q = 0; q < f.Quantiles.Length; q++) csv.Number(f.Quantiles[q][h]);
                    csv.EndLine();
                }
            }
        }
        return csv.ToArray();
    }
}
