using System.Globalization;
using System.Text;
using Forecast.Core.Data;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Reads the forecast CSVs that <see cref="ForecastCsvWriter"/> writes (unique_id, [window,] ds, [y,] mean, q0.1 ...)
/// back into a <see cref="ForecastTable"/>. Rows of one series and window are contiguous in those files; a malformed
/// file is a <see cref="DataException"/> naming the file, line and column.
/// </summary>
public static class ForecastCsvReader
{
    public static ForecastTable Read(ReadOnlySpan<byte> utf8, string file)
    {
        var lines = CsvRecords.Read(Encoding.UTF8.GetString(utf8), file);
        if (lines.Count == 0) throw new DataException("the forecast file is empty; it needs a header unique_id,ds,mean,q0.1,...", file, 1);
        var header = lines[0].Fields;
        int id = Required(header, ForecastColumns.Id, file), time = Required(header, ForecastColumns.Time, file), mean = Required(header, ForecastColumns.Mean, file);
        int window = header.IndexOf("window"), actual = header.IndexOf("y");
        var quantileColumns = header.Select((name, index) => (name, index))
            .Where(c => c.name.Length > 1 && c.name[0] == 'q' && double.TryParse(c.name.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(c => (Level: double.Parse(c.name.AsSpan(1), CultureInfo.InvariantCulture), Index: c.index))
            .ToList();

        var traces = new List<ForecastTrace>();
        var rows = new List<(int Line, List<string> Fields)>();
        string? currentId = null;
        int? currentWindow = null;
        for (int r = 1; r < lines.Count; r++)
        {
            var (line, fields) = lines[r];
            if (fields.Count != header.Count)
                throw new DataException($"the row has {fields.Count} fields, the header {header.Count}; the file is truncated or not a forecast table.", file, line);
            int? rowWindow = window < 0 ? null : ParseWindow(fields[window], file, line);
            if (rows.Count > 0 && (fields[id] != currentId || rowWindow != currentWindow))
            {
                traces.Add(Trace(rows, id, time, mean, actual, quantileColumns, currentWindow, file));
                rows.Clear();
            }
            currentId = fields[id];
            currentWindow = rowWindow;
            rows.Add((line, fields));
        }
        if (rows.Count > 0) traces.Add(Trace(rows, id, time, mean, actual, quantileColumns, currentWindow, file));
        return new ForecastTable([.. quantileColumns.Select(q => q.Level)], traces);
    }

    private static ForecastTrace Trace(List<(int Line, List<string> Fields)> rows, int id, int time, int mean, int actual,
        List<(double Level, int Index)> quantiles, int? window, string file)
    {
        int n = rows.Count;
        var timestamps = new DateTime[n];
        var means = new double[n];
        var actuals = actual < 0 ? null : new double[n];
        var q = quantiles.Select(_ => new double[n]).ToArray();
        for (int h = 0; h < n; h++)
        {
            var (line, fields) = rows[h];
            if (!TimestampParser.TryParse(fields[time].AsSpan(), out long ticks))
                throw new DataException($"'{fields[time]}' is not a timestamp ({TimestampParser.AcceptedForms}).", file, line, ForecastColumns.Time);
            timestamps[h] = new DateTime(ticks, DateTimeKind.Utc);
            means[h] = Number(fields[mean], file, line, ForecastColumns.Mean);
            if (actuals is not null) actuals[h] = Number(fields[actual], file, line, "y");
            for (int k = 0; k < q.Length; k++) q[k][h] = Number(fields[quantiles[k].Index], file, line, ForecastColumns.Quantile(quantiles[k].Level));
        }
        return new ForecastTrace(rows[0].Fields[id], window, timestamps, means, q, actuals);
    }

    private static int Required(List<string> header, string column, string file)
    {
        int index = header.IndexOf(column);
        return index >= 0 ? index : throw new DataException($"the header has no '{column}' column (it has {string.Join(", ", header)}).", file, 1, column);
    }

    private static int ParseWindow(string text, string file, int line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int w) ? w
            : throw new DataException($"'{text}' is not a window index (0, 1, ...).", file, line, "window");

    /// <summary>The writer leaves missing values empty.</summary>
    private static double Number(string text, string file, int line, string column) =>
        text.Length == 0 ? double.NaN
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value
        : throw new DataException($"'{text}' is not a number.", file, line, column);
}
