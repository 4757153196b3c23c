using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Common;
using Forecast.Core.Series;

namespace Forecast.Trainer.Models;

/// <summary>
/// Turns the pipeline's series into Chronos-2 tasks (chronos2/pipeline.py: a dict input with target variates and
/// past covariates forms one group the model attends across). <see cref="ChronosGrouping.None"/>: one task per series.
/// <see cref="ChronosGrouping.IdPrefix"/>: the series whose unique_id shares the text before the last separator
/// ("store1_sales", "store1_visits" → group "store1") are the target variates of one task; they must end at the same
/// timestamp, and shorter ones are left-padded with NaN (missing, as the model expects). Past covariates are the named
/// covariate columns of each member, keyed "&lt;unique_id&gt;:&lt;column&gt;"; future covariates are, as the reference's
/// dict input, a past covariate over the history plus a future_covariates entry of the same key over the horizon.
/// </summary>
public sealed class ChronosSeriesGroups
{
    private readonly List<(int Task, int Variate)> _positions;

    private ChronosSeriesGroups(List<Chronos2Input> tasks, List<(int Task, int Variate)> positions)
    {
        Tasks = tasks;
        _positions = positions;
    }

    public IReadOnlyList<Chronos2Input> Tasks { get; }

    public static ChronosSeriesGroups Build(IReadOnlyList<TimeSeries> histories, ChronosGrouping grouping, string separator, IReadOnlyList<string> pastCovariates,
        IReadOnlyList<string>? futureCovariates = null, Func<string, string, double[]>? futureValues = null)
    {
        futureCovariates ??= [];
        if (futureCovariates.Count > 0 && futureValues is null)
            throw new ArgumentNullException(nameof(futureValues), "future covariates need their future values.");
        foreach (var series in histories)
            foreach (var (column, key) in pastCovariates.Select(c => (c, "past_covariates")).Concat(futureCovariates.Select(c => (c, "future_covariates"))))
                if (!series.Covariates.ContainsKey(column))
                    throw new InvalidOperationException(
                        $"model.chronos.{key} names '{column}', which series '{series.Id}' does not have; list it under data.covariates so it is loaded.");

        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (int i = 0; i < histories.Count; i++)
        {
            string key = grouping == ChronosGrouping.IdPrefix ? GroupOf(histories[i].Id, separator) : $"\0{i}";
            if (!members.TryGetValue(key, out var list)) { members[key] = list = []; order.Add(key); }
            list.Add(i);
        }

        var tasks = new List<Chronos2Input>(order.Count);
        var positions = new (int Task, int Variate)[histories.Count];
        foreach (string key in order)
        {
            var group = members[key];
            var end = histories[group[0]].Timestamps[^1];
            foreach (int i in group)
                if (histories[i].Timestamps[^1] != end)
                    throw new InvalidOperationException(
                        $"model.chronos.groups: series '{histories[i].Id}' ends at {histories[i].Timestamps[^1]:O} but '{histories[group[0]].Id}' of the same group ends at {end:O}; series of a group must end together (or set groups.by: none).");
            int length = group.Max(i => histories[i].Length);
            var targets = new List<float[]>(group.Count);
            var covariates = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var future = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (int v = 0; v < group.Count; v++)
            {
                var series = histories[group[v]];
                targets.Add(LeftPad(series.Values, length));
                foreach (string column in pastCovariates)
                    covariates[$"{series.Id}:{column}"] = LeftPad(series.Covariates[column], length);
                foreach (string column in futureCovariates)
                {
                    covariates[$"{series.Id}:{column}"] = LeftPad(series.Covariates[column], length);
                    future[$"{series.Id}:{column}"] = [.. futureValues!(series.Id, column).Select(v => (float)v)];
                }
                positions[group[v]] = (tasks.Count, v);
            }
            tasks.Add(new Chronos2Input(targets, covariates, future));
        }
        return new ChronosSeriesGroups(tasks, [.. positions]);
    }

    /// <summary>Per input series (input order) its target variate's forecast.</summary>
    public IReadOnlyList<QuantileForecast> Unpack(IReadOnlyList<QuantileForecast[]> perTask) =>
        [.. _positions.Select(p => perTask[p.Task][p.Variate])];

    private static string GroupOf(string id, string separator)
    {
        int at = id.LastIndexOf(separator, StringComparison.Ordinal);
        return at <= 0 ? id : id[..at];
    }

    private static float[] LeftPad(double[] values, int length)
    {
        var padded = new float[length];
        int offset = length - values.Length;
        Array.Fill(padded, float.NaN, 0, offset);
        for (int i = 0; i < values.Length; i++) padded[offset + i] = (float)values[i];
        return padded;
    }
}
