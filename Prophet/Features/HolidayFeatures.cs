namespace Forecast.Prophet;

/// <summary>
/// Holiday indicator columns (forecaster.py: <c>make_holiday_features</c>; spec §5.2): one column
/// "{holiday}_delim_{+|-}{|offset|}" per holiday and window offset, 1 on rows whose calendar date is the holiday date
/// plus the offset.
/// </summary>
internal static class HolidayFeatures
{
    public const string Delimiter = "_delim_";

    public sealed record Column(string Name, string Holiday, double PriorScale, bool[] Values);

    public static List<Column> Make(
        IReadOnlyList<DateTime> ds,
        IReadOnlyList<HolidayEvent> holidays,
        double defaultPriorScale,
        HolidayColumnOrder order)
    {
        // Rows by calendar date: prophet strips the time (pd.DatetimeIndex(...).normalize / R as.Date).
        var rowsByDate = new Dictionary<DateTime, List<int>>();
        for (var i = 0; i < ds.Count; i++)
        {
            var day = ds[i].Date;
            if (!rowsByDate.TryGetValue(day, out var rows))
            {
                rowsByDate[day] = rows = [];
            }

            rows.Add(i);
        }

        var priorScales = new Dictionary<string, double>(StringComparer.Ordinal);
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var holiday in holidays)
        {
            var scale = holiday.PriorScale is { } ps && !double.IsNaN(ps) ? ps : defaultPriorScale;
            if (priorScales.TryGetValue(holiday.Name, out var previous) && previous != scale)
            {
                throw new ArgumentException(
                    $"Holiday '{holiday.Name}' has more than one prior_scale ({previous} and {scale}); give every row of a holiday the same prior_scale.");
            }

            priorScales[holiday.Name] = scale;
            for (var offset = holiday.LowerWindow; offset <= holiday.UpperWindow; offset++)
            {
                var name = $"{holiday.Name}{Delimiter}{(offset < 0 ? '-' : '+')}{Math.Abs(offset)}";
                if (!columns.TryGetValue(name, out var column))
                {
                    columns[name] = column = new Column(name, holiday.Name, scale, new bool[ds.Count]);
                }

                if (holiday.Date == default)
                {
                    continue; // a training holiday absent from these dates: an all-zero column (spec §5.1)
                }

                if (rowsByDate.TryGetValue(holiday.Date.Date.AddDays(offset), out var rows))
                {
                    foreach (var row in rows)
                    {
                        column.Values[row] = true;
                    }
                }
            }
        }

        var sorted = columns.Values.ToList();
        sorted.Sort((a, b) => CompareNames(a.Name, b.Name, order));
        return sorted;
    }

    /// <summary>Python sorts by code point; R's sort() sorted case-insensitively in the golden runs (spec §5.2).</summary>
    public static int CompareNames(string a, string b, HolidayColumnOrder order)
    {
        if (order == HolidayColumnOrder.CaseInsensitive)
        {
            var folded = string.CompareOrdinal(a.ToLowerInvariant(), b.ToLowerInvariant());
            if (folded != 0)
            {
                return folded;
            }
        }

        return string.CompareOrdinal(a, b);
    }
}
