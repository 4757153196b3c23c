using Forecast.Core.Data;
using Forecast.Core.Series;

namespace Forecast.Core.Cleaning;

/// <summary>
/// Makes loaded series regular, in this order: merge duplicate timestamps (policy), reject all-missing targets,
/// take the configured frequency or infer it per series, reindex to the full grid, fill missing values (policy),
/// then drop or reject series shorter than the minimum length (policy). Every change is counted in the report.
/// </summary>
public static class SeriesCleaner
{
    /// <param name="source">The file the series came from, named in error messages.</param>
    public static CleanedData Clean(IReadOnlyList<TimeSeries> series, CleaningOptions options, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinLength < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MinLength, "cleaning.min_length must be at least 1.");

        var merged = new (TimeSeries Series, int Merged)[series.Count];
        for (int i = 0; i < series.Count; i++)
        {
            merged[i] = DuplicateMerger.Merge(series[i], options.Duplicates, source);
            if (merged[i].Series.Values.All(double.IsNaN))
                throw new DataException(
                    $"series '{series[i].Id}' has no values: all {series[i].Length} are missing; remove the series or fix its target column.",
                    source, field: series[i].Id);
        }

        var kept = new List<TimeSeries>(series.Count);
        var reports = new List<SeriesCleaningReport>(series.Count);
        var tooShort = new List<(string Id, int Length)>();
        for (int i = 0; i < merged.Length; i++)
        {
            var (s, duplicates) = merged[i];
            // A single timestamp has no gap to infer a frequency from; such a series is too short for any min_length
            // above 1 and goes without one. (Each series is cleaned on its own, so a shard cleans its series exactly
            // as a single run does.)
            if (options.Frequency is null && s.Length < 2 && s.Length < options.MinLength)
            {
                tooShort.Add((s.Id, s.Length));
                continue;
            }
            var frequency = ResolveFrequency(s, options.Frequency, source);
            var (regular, added) = GridReindexer.Reindex(s, frequency, source);
            if (ReferenceEquals(regular, series[i])) regular = CopyColumns(regular); // filling writes in place: never into the caller's arrays
            int missing = regular.Values.Count(double.IsNaN);
            int filled = MissingValueFiller.Fill(regular.Values, options.FillMissing);
            foreach (var column in regular.Covariates.Values) MissingValueFiller.Fill(column, options.FillMissing);
            regular = regular with { Frequency = frequency };

            if (regular.Length < options.MinLength)
            {
                tooShort.Add((regular.Id, regular.Length));
                continue;
            }
            kept.Add(regular);
            reports.Add(new SeriesCleaningReport
            {
                Id = regular.Id,
                Frequency = frequency.ToString(),
                FrequencySource = options.Frequency is null ? "inferred" : "config",
                LengthIn = series[i].Length,
                LengthOut = regular.Length,
                DuplicatesMerged = duplicates,
                TimestampsAdded = added,
                MissingValues = missing,
                ValuesFilled = filled,
            });
        }

        if (tooShort.Count > 0 && options.ShortSeries == ShortSeriesPolicy.Error)
            throw new DataException(
                $"{tooShort.Count} series are shorter than cleaning.min_length = {options.MinLength}: {ShortList(tooShort)}; "
                + "remove them, lower cleaning.min_length, or set cleaning.short_series: drop.",
                source, field: "cleaning.min_length");

        var report = Report(options, series.Count, kept.Count, series.Sum(s => (long)s.Length), kept.Sum(s => (long)s.Length), tooShort, reports);
        return new CleanedData(kept, report) { Dropped = tooShort };
    }

    /// <summary>
    /// cleaning.yaml: the counts, the policies, the series dropped as too short (ids and lengths, in series order) and
    /// the report of every kept series. The merge of a sharded run builds it from all shards' counts and dropped series.
    /// </summary>
    public static CleaningReport Report(CleaningOptions options, int seriesIn, int seriesOut, long rowsIn, long rowsOut,
        IReadOnlyList<(string Id, int Length)> dropped, IReadOnlyList<SeriesCleaningReport> series) => new()
    {
        SeriesIn = seriesIn,
        SeriesOut = seriesOut,
        RowsIn = rowsIn,
        RowsOut = rowsOut,
        Duplicates = options.Duplicates.ToString().ToLowerInvariant(),
        FillMissing = options.FillMissing.ToString().ToLowerInvariant(),
        MinLength = options.MinLength,
        DroppedSeries = [.. dropped.Select(s => s.Id)],
        Warnings = DropWarnings(dropped, options.MinLength),
        Series = series,
    };

    /// <summary>
    /// The warnings of cleaning.yaml for the series dropped as shorter than <paramref name="minLength"/> (ids and
    /// lengths in series order); the merge of a sharded run words them from all shards' dropped series the same way.
    /// </summary>
    public static IReadOnlyList<string> DropWarnings(IReadOnlyList<(string Id, int Length)> dropped, int minLength) =>
        dropped.Count == 0 ? [] : [$"dropped {dropped.Count} series shorter than min_length {minLength}: {ShortList(dropped)}"];

    private static string ShortList(IReadOnlyList<(string Id, int Length)> series) => string.Join(", ", series.Select(s => $"'{s.Id}' ({s.Length})"));

    /// <summary>The configured frequency, else the one inferred from the series' own timestamps.</summary>
    private static Frequency ResolveFrequency(TimeSeries series, Frequency? configured, string? source)
    {
        if (configured is { } given) return given;
        if (series.Length < 2)
            throw new DataException(
                $"series '{series.Id}' has a single timestamp, so its frequency cannot be inferred; set cleaning.frequency, or drop such series with cleaning.min_length of 2 or more.",
                source, field: series.Id);
        if (!FrequencyInference.TryInfer(series.Timestamps, out var inferred, out var irregular))
            throw new DataException(
                $"series '{series.Id}' has irregular timestamps whose frequency cannot be inferred: the gaps before "
                + $"{string.Join(", ", irregular.Select(TimestampParser.Format))} are not whole multiples of the most common gap; "
                + "fix those timestamps or set cleaning.frequency (for example h, D, W, MS or 15min).",
                source, field: series.Id);
        return inferred;
    }

    private static TimeSeries CopyColumns(TimeSeries s) => s with
    {
        Timestamps = (DateTime[])s.Timestamps.Clone(),
        Values = (double[])s.Values.Clone(),
        Covariates = s.Covariates.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone()),
    };
}
