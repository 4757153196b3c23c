using Forecast.Chronos.Frames;
using Forecast.Core.Series;

namespace Forecast.Trainer.Models;

/// <summary>
/// The pipeline's series as the long-format tables Forecast.Chronos forecasts (predict_df): unique_id, ds, the target
/// and the covariate columns model.chronos names (past-only ones, and the history of known-future ones), plus a
/// <c>group</c> column when series are grouped by unique_id prefix ("store1_sales", "store1_visits" → "store1": the
/// target variates of one Chronos-2 task); and the table of future covariate values over the horizon.
/// </summary>
public static class ChronosSeriesFrames
{
    /// <summary>The categorical column that names each series' task (<see cref="ChronosGrouping.IdPrefix"/>).</summary>
    public const string GroupColumn = "group";

    public static SeriesFrame History(IReadOnlyList<TimeSeries> histories, ChronosGrouping grouping, string separator,
        IReadOnlyList<string> pastCovariates, IReadOnlyList<string> futureCovariates)
    {
        foreach (var series in histories)
            foreach (var (column, key) in pastCovariates.Select(c => (c, "past_covariates")).Concat(futureCovariates.Select(c => (c, "future_covariates"))))
                if (!series.Covariates.ContainsKey(column))
                    throw new InvalidOperationException(
                        $"model.chronos.{key} names '{column}', which series '{series.Id}' does not have; list it under data.covariates so it is loaded.");
        var ids = histories.SelectMany(s => Enumerable.Repeat(s.Id, s.Length)).ToArray();
        var frame = new SeriesFrame(ids, [.. histories.SelectMany(s => s.Timestamps)],
            [.. histories.SelectMany(s => s.Values.Select(v => (float)v))]);
        foreach (string column in pastCovariates.Concat(futureCovariates))
            frame = frame.With(column, (IReadOnlyList<float>)[.. histories.SelectMany(s => s.Covariates[column].Select(v => (float)v))]);
        if (grouping == ChronosGrouping.IdPrefix)
            frame = frame.With(GroupColumn, (IReadOnlyList<string?>)[.. histories.SelectMany(s => Enumerable.Repeat(GroupOf(s.Id, separator), s.Length))]);
        return frame;
    }

    /// <summary>The future values of the known-future covariates, <paramref name="horizon"/> rows per series; null without any.</summary>
    public static SeriesFrame? Future(IReadOnlyList<TimeSeries> histories, int horizon, IReadOnlyList<string> futureCovariates,
        Func<string, string, double[]> futureValues)
    {
        if (futureCovariates.Count == 0) return null;
        var frame = new SeriesFrame([.. histories.SelectMany(s => Enumerable.Repeat(s.Id, horizon))],
            [.. histories.SelectMany(s => FrequencyOf(s).Following(s.Timestamps[^1], horizon))]);
        foreach (string column in futureCovariates)
            frame = frame.With(column, (IReadOnlyList<float>)[.. histories.SelectMany(s => futureValues(s.Id, column).Select(v => (float)v))]);
        return frame;
    }

    /// <summary>The series' frequency as the table's time step, when every series has the same one (else each is inferred).</summary>
    public static TimeStep? StepOf(IReadOnlyList<TimeSeries> histories)
    {
        var frequencies = histories.Select(s => s.Frequency).Distinct().ToList();
        if (frequencies is not [{ } frequency]) return null;
        return frequency.Unit switch
        {
            FrequencyUnit.Minute => TimeStep.Fixed(TimeSpan.FromMinutes(frequency.Multiple)),
            FrequencyUnit.Hour => TimeStep.Fixed(TimeSpan.FromHours(frequency.Multiple)),
            FrequencyUnit.Day => TimeStep.Fixed(TimeSpan.FromDays(frequency.Multiple)),
            FrequencyUnit.Week => TimeStep.Fixed(TimeSpan.FromDays(7 * frequency.Multiple)),
            FrequencyUnit.MonthStart or FrequencyUnit.MonthEnd => TimeStep.Calendar(frequency.Multiple),
            FrequencyUnit.QuarterStart or FrequencyUnit.QuarterEnd => TimeStep.Calendar(3 * frequency.Multiple),
            _ => TimeStep.Calendar(12 * frequency.Multiple),
        };
    }

    private static Frequency FrequencyOf(TimeSeries series) => series.Frequency
        ?? throw new InvalidOperationException($"Series '{series.Id}' has no frequency; Chronos needs one to date the forecast (set cleaning.frequency).");

    private static string GroupOf(string id, string separator)
    {
        int at = id.LastIndexOf(separator, StringComparison.Ordinal);
        return at <= 0 ? id : id[..at];
    }
}
