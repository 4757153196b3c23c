namespace Forecast.Chronos.Frames;

/// <summary>
/// A long-format table split into its series: ids in first-appearance order, each series' rows sorted by timestamp
/// (predict_df's normalize_df), with duplicate timestamps and irregular spacing refused naming the series.
/// </summary>
internal sealed class FrameSeries
{
    private readonly SeriesFrame frame;
    private readonly int[][] rows;

    private FrameSeries(SeriesFrame frame, IReadOnlyList<string> ids, int[][] rows)
    {
        this.frame = frame;
        Ids = ids;
        this.rows = rows;
    }

    public IReadOnlyList<string> Ids { get; }

    public int Count => Ids.Count;

    public static FrameSeries Split(SeriesFrame frame, string what = "history")
    {
        var order = new List<string>();
        var byId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var row = 0; row < frame.RowCount; row++)
        {
            if (!byId.TryGetValue(frame.Ids[row], out var list))
            {
                byId[frame.Ids[row]] = list = [];
                order.Add(frame.Ids[row]);
            }
            list.Add(row);
        }
        if (order.Count == 0)
            throw new SeriesFrameException($"The {what} table has no rows.");
        var sorted = new int[order.Count][];
        for (var s = 0; s < order.Count; s++)
        {
            var list = byId[order[s]];
            list.Sort((a, b) => frame.Timestamps[a].CompareTo(frame.Timestamps[b]));
            for (var i = 1; i < list.Count; i++)
                if (frame.Timestamps[list[i]] == frame.Timestamps[list[i - 1]])
                    throw new SeriesFrameException(
                        $"Series '{order[s]}' has two {what} rows at {frame.Timestamps[list[i]]:O} (rows {list[i - 1]} and {list[i]}); each timestamp once.");
            sorted[s] = [.. list];
        }
        return new FrameSeries(frame, order, sorted);
    }

    public int Length(int series) => rows[series].Length;

    public DateTime[] Timestamps(int series) => [.. rows[series].Select(row => frame.Timestamps[row])];

    public float[] Target(int series) => [.. rows[series].Select(row => frame.Target![row])];

    public float[] Numeric(string column, int series)
    {
        var values = frame.NumericColumns[column];
        return [.. rows[series].Select(row => values[row])];
    }

    public string?[] Categorical(string column, int series)
    {
        var values = frame.CategoricalColumns[column];
        return [.. rows[series].Select(row => values[row])];
    }

    /// <summary>The step of every series (the given one, or inferred per series), refusing irregular spacing.</summary>
    public (TimeStep Step, bool MonthEnds)[] Steps(TimeStep? given)
    {
        var steps = new (TimeStep, bool)[Count];
        for (var s = 0; s < Count; s++)
        {
            var timestamps = Timestamps(s);
            var step = given ?? TimeStep.Infer(timestamps) ?? throw new SeriesFrameException(
                timestamps.Length < 2
                    ? $"Series '{Ids[s]}' has a single row, so its frequency cannot be inferred; give FrameForecastOptions.Frequency."
                    : $"Series '{Ids[s]}' has irregular timestamps (first gaps {string.Join(", ", timestamps.Zip(timestamps.Skip(1), (a, b) => b - a).Distinct().Take(3))}); "
                      + "all timestamps must be equally spaced (fill gaps with NaN targets) or FrameForecastOptions.Frequency given.");
            steps[s] = (step, given is { Months: > 0 } || step.Months > 0 ? TimeStep.IsMonthEnd(timestamps) : false);
        }
        return steps;
    }

    /// <summary>The <paramref name="horizon"/> timestamps after each series' last one.</summary>
    public DateTime[][] FutureTimestamps(int horizon, TimeStep? given)
    {
        var steps = Steps(given);
        return [.. Enumerable.Range(0, Count).Select(s =>
        {
            var last = frame.Timestamps[rows[s][^1]];
            var (step, monthEnds) = steps[s];
            return Enumerable.Range(1, horizon).Select(k => step.After(last, k, monthEnds)).ToArray();
        })];
    }

    /// <summary>The rows of a future-values table for these series, checked against the forecast's timestamps.</summary>
    public static FrameSeries Future(SeriesFrame future, FrameSeries history, DateTime[][] expected)
    {
        var split = Split(future, "future");
        var index = split.Ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        foreach (var id in split.Ids)
            if (!history.Ids.Contains(id, StringComparer.Ordinal))
                throw new SeriesFrameException($"The future table has series '{id}', which is not in the history.");
        var ordered = new int[history.Count][];
        for (var s = 0; s < history.Count; s++)
        {
            if (!index.TryGetValue(history.Ids[s], out var f))
                throw new SeriesFrameException($"The future table has no rows for series '{history.Ids[s]}'; it needs {expected[s].Length} (one per forecast step).");
            var timestamps = split.Timestamps(f);
            if (!timestamps.SequenceEqual(expected[s]))
                throw new SeriesFrameException(
                    $"The future rows of series '{history.Ids[s]}' are at {Describe(timestamps)} but its forecast is at {Describe(expected[s])}; "
                    + "give one row per forecast timestamp.");
            ordered[s] = split.rows[f];
        }
        return new FrameSeries(future, history.Ids, ordered);
    }

    private static string Describe(DateTime[] timestamps) =>
        timestamps.Length == 0 ? "no timestamps" : $"{timestamps.Length} timestamps from {timestamps[0]:O} to {timestamps[^1]:O}";
}
