using System.Globalization;

namespace Forecast.Chronos.Frames;

/// <summary>
/// A long-format forecast table (chronos-forecasting predict_df's result): one row per series and future timestamp,
/// <c>unique_id</c>, <c>ds</c>, the point forecast <c>mean</c> and one column per quantile level
/// (<c>Quantiles[level][row]</c>), series in the order they first appear in the history.
/// </summary>
public sealed record ForecastFrame(IReadOnlyList<string> Ids, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<float> Mean,
    IReadOnlyList<float> Levels, IReadOnlyList<float[]> Quantiles)
{
    public int RowCount => Ids.Count;

    /// <summary>Column name of a level: <c>q0.1</c>, <c>q0.05</c> (as the Trainer's forecasts.csv).</summary>
    public static string LevelColumn(float level) => "q" + level.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Writes the table as CSV: <c>unique_id,ds,mean,q…</c>, ISO 8601 timestamps, invariant culture.</summary>
    public void WriteCsv(TextWriter writer)
    {
        writer.WriteLine(string.Join(',', new[] { "unique_id", "ds", "mean" }.Concat(Levels.Select(LevelColumn))));
        for (var row = 0; row < RowCount; row++)
        {
            writer.Write(Quote(Ids[row]));
            writer.Write(',');
            writer.Write(Timestamps[row].ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(Mean[row].ToString("R", CultureInfo.InvariantCulture));
            foreach (var column in Quantiles)
            {
                writer.Write(',');
                writer.Write(column[row].ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine();
        }
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
