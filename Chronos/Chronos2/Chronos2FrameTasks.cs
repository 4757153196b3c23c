using Forecast.Chronos.Common;
using Forecast.Chronos.Frames;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Chronos-2 tasks from a long-format table (chronos2/pipeline.py: predict_df via preprocess.py from_data_frame): each
/// series is a task whose covariate columns are its past covariates — numeric or categorical — and whose columns of
/// <see cref="FrameForecastOptions.Future"/> are known ahead. With <see cref="FrameForecastOptions.GroupColumn"/> the
/// series of a group are the target variates of one task (forecast jointly), each keeping its own covariates, keyed
/// <c>"&lt;unique_id&gt;:&lt;column&gt;"</c>; the members must end at the same timestamp and are left-padded with NaN
/// to the longest.
/// </summary>
public sealed class Chronos2FrameTasks
{
    private readonly (int Task, int Variate)[] positions;

    private Chronos2FrameTasks(IReadOnlyList<string> ids, IReadOnlyList<DateTime[]> futureTimestamps, List<Chronos2Input> tasks,
        (int Task, int Variate)[] positions)
    {
        Ids = ids;
        FutureTimestamps = futureTimestamps;
        Tasks = tasks;
        this.positions = positions;
    }

    /// <summary>The table's series, in first-appearance order.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Each series' forecast timestamps.</summary>
    public IReadOnlyList<DateTime[]> FutureTimestamps { get; }

    public IReadOnlyList<Chronos2Input> Tasks { get; }

    /// <param name="predictionLength">Forecast steps (the future table must have exactly these timestamps per series).</param>
    public static Chronos2FrameTasks Build(SeriesFrame history, int predictionLength, FrameForecastOptions? options = null)
    {
        options ??= new FrameForecastOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(predictionLength, 1);
        var split = ForecastFrames.SplitHistory(history);
        var futureTimestamps = split.FutureTimestamps(predictionLength, options.Frequency);
        FrameSeries? future = null;
        if (options.Future is { } futureFrame)
        {
            foreach (var column in futureFrame.ColumnNames)
                if (!history.NumericColumns.ContainsKey(column) && !history.CategoricalColumns.ContainsKey(column))
                    throw new SeriesFrameException(
                        $"The future table has column '{column}', which the history has not; a known-future covariate needs its past values too.");
                else if (history.NumericColumns.ContainsKey(column) != futureFrame.NumericColumns.ContainsKey(column))
                    throw new SeriesFrameException($"Column '{column}' is numeric in one table and categorical in the other.");
            future = FrameSeries.Future(futureFrame, split, futureTimestamps);
        }
        var group = options.GroupColumn;
        if (group is not null && !history.CategoricalColumns.ContainsKey(group))
            throw new SeriesFrameException($"GroupColumn '{group}' is not a categorical column of the history table.");

        // Tasks in order of their first series; members in table order.
        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var s = 0; s < split.Count; s++)
        {
            var key = group is null ? "\0" + s : GroupOf(split, group, s);
            if (!members.TryGetValue(key, out var list))
            {
                members[key] = list = [];
                order.Add(key);
            }
            list.Add(s);
        }
        var covariates = history.ColumnNames.Where(c => c != group).ToList();
        var tasks = new List<Chronos2Input>(order.Count);
        var positions = new (int, int)[split.Count];
        foreach (var key in order)
        {
            var group_ = members[key];
            var end = split.Timestamps(group_[0])[^1];
            foreach (var s in group_)
                if (split.Timestamps(s)[^1] != end)
                    throw new SeriesFrameException(
                        $"Series '{split.Ids[s]}' ends at {split.Timestamps(s)[^1]:O} but '{split.Ids[group_[0]]}' of the same group ends at {end:O}; "
                        + "the series of a task must end together.");
            var length = group_.Max(split.Length);
            var targets = new List<float[]>();
            var past = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var known = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var pastCategories = new Dictionary<string, string?[]>(StringComparer.Ordinal);
            var knownCategories = new Dictionary<string, string?[]>(StringComparer.Ordinal);
            foreach (var s in group_)
            {
                positions[s] = (tasks.Count, targets.Count);
                targets.Add(LeftPad(split.Target(s), length, float.NaN));
                foreach (var column in covariates)
                {
                    var name = group_.Count == 1 ? column : $"{split.Ids[s]}:{column}";
                    var isFuture = future is not null && options.Future!.ColumnNames.Contains(column);
                    if (history.NumericColumns.ContainsKey(column))
                    {
                        past[name] = LeftPad(split.Numeric(column, s), length, float.NaN);
                        if (isFuture)
                            known[name] = future!.Numeric(column, s);
                    }
                    else
                    {
                        pastCategories[name] = LeftPad(split.Categorical(column, s), length, null);
                        if (isFuture)
                            knownCategories[name] = future!.Categorical(column, s);
                    }
                }
            }
            tasks.Add(new Chronos2Input(targets, past, known, pastCategories, knownCategories));
        }
        return new Chronos2FrameTasks(split.Ids, futureTimestamps, tasks, positions);
    }

    /// <summary>Per series (table order) the forecast of its target variate.</summary>
    public IReadOnlyList<QuantileForecast> Unpack(IReadOnlyList<QuantileForecast[]> perTask) =>
        [.. positions.Select(p => perTask[p.Task][p.Variate])];

    private static string GroupOf(FrameSeries split, string column, int series)
    {
        var values = split.Categorical(column, series);
        var first = values[0];
        if (first is null || values.Any(v => v != first))
            throw new SeriesFrameException(
                $"Series '{split.Ids[series]}' has {(first is null ? "a missing" : "more than one")} value in GroupColumn '{column}'; "
                + "a series belongs to one group.");
        return first;
    }

    private static T[] LeftPad<T>(T[] values, int length, T padding)
    {
        var padded = new T[length];
        Array.Fill(padded, padding, 0, length - values.Length);
        values.CopyTo(padded, length - values.Length);
        return padded;
    }
}
