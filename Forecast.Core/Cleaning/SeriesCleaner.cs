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

        var frequencies = ResolveFrequencies(merged.Select(m => m.Series).ToArray(), options.Frequency, source);

        var kept = new List<TimeSeries>(series.Count);
        var reports = new List<SeriesCleaningReport>(series.Count);
        var tooShort = new List<(string Id, int Length)>();
        for (int i = 0; i < merged.Length; i++)
        {
            var (s, duplicates) = merged[i];
            var (regular, added) = GridReindexer.Reindex(s, frequencies[i], source);
            if (ReferenceEquals(regular, series[i])) regular = CopyColumns(regular); // filling writes in place: never into the caller's arrays
            int missing = regular.Values.Count(double.IsNaN);
            int filled = MissingValueFiller.Fill(regular.Values, options.FillMissing);
            foreach (var column in regular.Covariates.Values) MissingValueFiller.Fill(column, options.FillMissing);
            regular = regular with { Frequency = frequencies[i] };

            if (regular.Length < options.MinLength)
            {
                tooShort.Add((regular.Id, regular.Length));
                continue;
            }
            kept.Add(regular);
            reports.Add(new SeriesCleaningReport
            {
                Id = regular.Id,
                Frequency = frequencies[i].ToString(),
                FrequencySource = options.Frequency is null ? "inferred" : "config",
                LengthIn = series[i].Length,
                LengthOut = regular.Length,
                DuplicatesMerged = duplicates,
                TimestampsAdded = added,
                MissingValues = missing,
                ValuesFilled = filled,
            });
        }

        var warnings = new List<string>();
        if (tooShort.Count > 0)
        {
            string list = string.Join(", ", tooShort.Select(s => $"'{s.Id}' ({s.Length})"));
            if (options.ShortSeries == ShortSeriesPolicy.Error)
                throw new DataException(
                    $"{tooShort.Count} series are shorter than cleaning.min_length = {options.MinLength}: {list}; "
                    + "remove them, lower cleaning.min_length, or set cleaning.short_series: drop.",
                    source, field: "cleaning.min_length");
            warnings.Add($"dropped {tooShort.Count} series shorter than min_length {options.MinLength}: {list}");
        }

        var report = new CleaningReport
        {
            SeriesIn = series.Count,
            SeriesOut = kept.Count,
            RowsIn = series.Sum(s => (long)s.Length),
            RowsOut = kept.Sum(s => (long)s.Length),
            Duplicates = options.Duplicates.ToString().ToLowerInvariant(),
            FillMissing = options.FillMissing.ToString().ToLowerInvariant(),
            MinLength = options.MinLength,
            DroppedSeries = [.. tooShort.Select(s => s.Id)],
            Warnings = warnings,
            Series = reports,
        };
        return new CleanedData(kept, report);
    }

    /// <summary>
    /// The configured frequency, else one inferred per series. A series with a single timestamp has no gap to
    /// infer from and takes the frequency most other series have.
    /// </summary>
    private static Frequency[] ResolveFrequencies(TimeSeries[] series, Frequency? configured, string? source)
    {
        var result = new Frequency?[series.Length];
        for (int i = 0; i < series.Length; i++)
        {
            if (configured is not null) { result[i] = configured; continue; }
            if (series[i].Length < 2) continue;
            if (!FrequencyInference.TryInfer(series[i].Timestamps, out var inferred, out var irregular))
                throw new DataException(
                    $"series '{series[i].Id}' has irregular timestamps whose frequency cannot be inferred: the gaps before "
                    + $"{string.Join(", ", irregular.Select(TimestampParser.Format))} are not whole multiples of the most common gap; "
                    + "fix those timestamps or set cleaning.frequency (for example h, D, W, MS or 15min).",
                    source, field: series[i].Id);
            result[i] = inferred;
        }

        var common = result.Where(f => f is not null).GroupBy(f => f!.Value).OrderByDescending(g => g.Count()).Select(g => (Frequency?)g.Key).FirstOrDefault();
        for (int i = 0; i < series.Length; i++)
        {
            if (result[i] is not null) continue;
            result[i] = common ?? throw new DataException(
                $"series '{series[i].Id}' has a single timestamp, so its frequency cannot be inferred; set cleaning.frequency.",
                source, field: series[i].Id);
        }
        return [.. result.Select(f => f!.Value)];
    }

    private static TimeSeries CopyColumns(TimeSeries s) => s with
    {
        Timestamps = (DateTime[])s.Timestamps.Clone(),
        Values = (double[])s.Values.Clone(),
        Covariates = s.Covariates.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone()),
    };
}
