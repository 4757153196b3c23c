using Forecast.Core.Series;

namespace Forecast.Core.Data;

/// <summary>
/// A file without the id column is read as one series. When that series repeats timestamps, the file almost
/// certainly holds several series under a differently named id column: say so at load time, rather than letting
/// cleaning report thousands of "duplicates".
/// </summary>
internal static class MissingIdColumnCheck
{
    public static void ThrowIfTimestampsRepeat(TimeSeries single, string file, DataOptions options, IReadOnlyList<string> columns)
    {
        var t = single.Timestamps;
        for (int i = 1; i < t.Length; i++)
        {
            if (t[i] != t[i - 1]) continue;
            throw new DataException(
                $"there is no '{options.IdColumn}' column, so the file was read as one series, but timestamp {TimestampParser.Format(t[i])} repeats; "
                + $"set data.id_column to the column that holds the series ids (the columns are: {string.Join(", ", columns)}), "
                + "or set data.series_id and cleaning.duplicates if it really is one series with repeated rows.",
                file, field: "data.id_column");
        }
    }
}
