using Forecast.Core.Models;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Writes forecasts as long-format CSV: unique_id, ds, mean, q0.1, ... (one row per series and step). Optionally with
/// the evaluation window and the actual value (evaluation forecasts). Numbers round-trip exactly ("R" format).
/// The file is a header line and then, window by window, one block of rows per series (<see cref="WriteBlocks"/>
/// reports where each block ends), so the blocks of several shards can be interleaved into the file one process writes.
/// </summary>
public static class ForecastCsvWriter
{
    public static byte[] Write(IReadOnlyList<SeriesForecast> forecasts, IReadOnlyList<double> quantileLevels) =>
        Write([(null, forecasts, null)], quantileLevels);

    /// <param name="windows">Per evaluation window: its index (null to leave the column out), forecasts and actuals (null to leave y out).</param>
    public static byte[] Write(IReadOnlyList<(int? Window, IReadOnlyList<SeriesForecast> Forecasts, IReadOnlyList<double[]>? Actuals)> windows, IReadOnlyList<double> quantileLevels) =>
        WriteBlocks(windows, quantileLevels).Bytes;

    /// <summary>The file and its layout: header length, the byte length of every series' block per window, the time format.</summary>
    public static ForecastCsvBlocks WriteBlocks(IReadOnlyList<(int? Window, IReadOnlyList<SeriesForecast> Forecasts, IReadOnlyList<double[]>? Actuals)> windows, IReadOnlyList<double> quantileLevels)
    {
        bool withWindow = windows.Any(w => w.Window is not null), withActuals = windows.Any(w => w.Actuals is not null);
        string timeFormat = ForecastColumns.TimeFormat(windows.SelectMany(w => w.Forecasts).SelectMany(f => f.Timestamps));
        var csv = new Utf8CsvBuilder(1 << 20);
        WriteHeader(csv, quantileLevels, withWindow, withActuals);
        int headerLength = csv.Length;
        var blocks = new int[windows.Count][];
        for (int w = 0; w < windows.Count; w++)
        {
            var (window, forecasts, actuals) = windows[w];
            blocks[w] = new int[forecasts.Count];
            for (int i = 0; i < forecasts.Count; i++)
            {
                int start = csv.Length;
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
                blocks[w][i] = csv.Length - start;
            }
        }
        return new ForecastCsvBlocks(csv.ToArray(), headerLength, blocks, timeFormat == ForecastColumns.DateFormat);
    }

    /// <summary>The header line: unique_id[,window],ds[,y],mean,q….</summary>
    public static byte[] Header(IReadOnlyList<double> quantileLevels, bool withWindow, bool withActuals)
    {
        var csv = new Utf8CsvBuilder(256);
        WriteHeader(csv, quantileLevels, withWindow, withActuals);
        return csv.ToArray();
    }

    private static void WriteHeader(Utf8CsvBuilder csv, IReadOnlyList<double> quantileLevels, bool withWindow, bool withActuals)
    {
        csv.Text(ForecastColumns.Id);
        if (withWindow) csv.Text("window");
        csv.Text(ForecastColumns.Time);
        if (withActuals) csv.Text("y");
        csv.Text(ForecastColumns.Mean);
        foreach (double level in quantileLevels) csv.Text(ForecastColumns.Quantile(level));
        csv.EndLine();
    }
}

/// <summary>
/// A forecast CSV file with its layout: the header's length, then per window the byte length of each series' rows
/// (in the order written), and whether times were written as dates (every time at midnight) or date-times.
/// </summary>
public sealed record ForecastCsvBlocks(byte[] Bytes, int HeaderLength, IReadOnlyList<int[]> BlockLengths, bool DateOnly);
