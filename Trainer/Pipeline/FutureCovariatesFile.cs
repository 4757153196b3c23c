using Forecast.Core.Data;
using Forecast.Core.Series;

namespace Forecast.Trainer.Pipeline;

/// <summary>
/// Reads <c>data.future_covariates_path</c>: a CSV in the data's long format (id column, time column, covariate
/// columns; no target) holding, for every forecast series, exactly <c>horizon</c> rows dated at the steps after its
/// last timestamp. Every problem is a <see cref="DataException"/> naming the file, line, series and column.
/// Rows of series that are not forecast (dropped by cleaning, another shard) are ignored.
/// </summary>
public static class FutureCovariatesFile
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>> Read(
        string path, DataOptions data, IReadOnlyList<TimeSeries> series, IReadOnlyList<string> covariates, int horizon)
    {
        if (!File.Exists(path))
            throw new DataException("the future covariates file does not exist; fix data.future_covariates_path.", path, field: "data.future_covariates_path");
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null) throw new DataException("the file is empty; it needs a header row (id, ds, covariate columns).", path, 1);
        var names = Split(header);
        int ColumnOf(string column)
        {
            int at = names.IndexOf(column);
            if (at < 0)
                throw new DataException($"the header has no column '{column}' (columns: {string.Join(", ", names)}); add it.", path, 1, column);
            return at;
        }
        int idColumn = ColumnOf(data.IdColumn), timeColumn = ColumnOf(data.TimeColumn);
        var valueColumns = covariates.Select(ColumnOf).ToArray();

        var wanted = series.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var rows = new Dictionary<string, List<(long Line, long Ticks, double[] Values)>>(StringComparer.Ordinal);
        long line = 1;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0) continue;
            var cells = Split(text);
            if (cells.Count != names.Count)
                throw new DataException($"has {cells.Count} cells but the header has {names.Count}.", path, line);
            string id = cells[idColumn];
            if (!wanted.ContainsKey(id)) continue;
            if (!TimestampParser.TryParse(cells[timeColumn].AsSpan(), out long ticks))
                throw new DataException($"series '{id}': '{cells[timeColumn]}' is not a timestamp.", path, line, data.TimeColumn);
            var values = new double[valueColumns.Length];
            for (int c = 0; c < valueColumns.Length; c++)
            {
                string cell = cells[valueColumns[c]];
                if (!ValueParser.TryParse(cell.AsSpan(), out values[c]) || !double.IsFinite(values[c]))
                    throw new DataException($"series '{id}': '{cell}' is not a number; future covariate values must all be known.", path, line, covariates[c]);
            }
            if (!rows.TryGetValue(id, out var list)) rows[id] = list = [];
            list.Add((line, ticks, values));
        }

        var result = new Dictionary<string, IReadOnlyDictionary<string, double[]>>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            var frequency = s.Frequency
                ?? throw new DataException($"series '{s.Id}' has no frequency, so its future rows cannot be dated; set cleaning.frequency.", path, field: s.Id);
            var expected = frequency.Following(s.Timestamps[^1], horizon);
            if (!rows.TryGetValue(s.Id, out var list)) list = [];
            list.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
            for (int h = 0; h < horizon; h++)
            {
                if (h >= list.Count || list[h].Ticks != expected[h].Ticks)
                    throw new DataException(
                        FormattableString.Invariant($"series '{s.Id}' has no row for {TimestampParser.Format(expected[h])} (step {h + 1} of the horizon {horizon}); it needs exactly {horizon} rows dated after its last timestamp {TimestampParser.Format(s.Timestamps[^1])}, with columns {string.Join(", ", covariates)}."),
                        path, h < list.Count ? list[h].Line : null, s.Id);
            }
            if (list.Count > horizon)
                throw new DataException(FormattableString.Invariant($"series '{s.Id}' has {list.Count} rows but the horizon is {horizon}; remove the extra rows."), path, list[horizon].Line, s.Id);
            result[s.Id] = covariates.Select((name, c) => (name, values: list.Select(r => r.Values[c]).ToArray()))
                .ToDictionary(p => p.name, p => p.values, StringComparer.Ordinal);
        }
        return result;
    }

    /// <summary>Comma-separated cells; surrounding double quotes are removed (no commas inside quotes).</summary>
    private static List<string> Split(string line) =>
        [.. line.Split(',').Select(cell => cell.Trim().Trim('"'))];
}
