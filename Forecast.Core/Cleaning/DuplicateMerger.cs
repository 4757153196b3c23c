using Forecast.Core.Data;
using Forecast.Core.Series;

namespace Forecast.Core.Cleaning;

/// <summary>
/// Resolves rows of one series that share a timestamp (adjacent after loading, in file order) by
/// <see cref="DuplicatePolicy"/>. Covariates are merged the same way as the target.
/// </summary>
internal static class DuplicateMerger
{
    /// <returns>The series with distinct timestamps and how many rows were merged away.</returns>
    public static (TimeSeries Series, int Merged) Merge(TimeSeries series, DuplicatePolicy policy, string? source)
    {
        var t = series.Timestamps;
        int duplicates = 0;
        for (int i = 1; i < t.Length; i++) if (t[i] == t[i - 1]) duplicates++;
        if (duplicates == 0) return (series, 0);

        if (policy == DuplicatePolicy.Error)
        {
            var repeated = new List<string>();
            for (int i = 1; i < t.Length && repeated.Count < 5; i++)
                if (t[i] == t[i - 1] && (i < 2 || t[i - 2] != t[i])) repeated.Add(TimestampParser.Format(t[i]));
            throw new DataException(
                $"series '{series.Id}' has {duplicates} duplicate row(s) at timestamps {string.Join(", ", repeated)}{(duplicates > repeated.Count ? ", ..." : "")}; "
                + "remove them or set cleaning.duplicates to mean, sum or last.",
                source, field: series.Id);
        }

        int distinct = t.Length - duplicates;
        var timestamps = new DateTime[distinct];
        var values = new double[distinct];
        var covariates = series.Covariates.ToDictionary(kv => kv.Key, _ => new double[distinct]);
        int start = 0, k = 0;
        while (start < t.Length)
        {
            int end = start + 1;
            while (end < t.Length && t[end] == t[start]) end++;
            timestamps[k] = t[start];
            values[k] = Combine(series.Values.AsSpan(start, end - start), policy);
            foreach (var (name, column) in series.Covariates) covariates[name][k] = Combine(column.AsSpan(start, end - start), policy);
            k++;
            start = end;
        }
        return (series with { Timestamps = timestamps, Values = values, Covariates = covariates }, duplicates);
    }

    /// <summary>Mean and sum skip missing values (all missing stays missing); last takes the last row as is.</summary>
    private static double Combine(ReadOnlySpan<double> group, DuplicatePolicy policy)
    {
        if (policy == DuplicatePolicy.Last) return group[^1];
        double sum = 0;
        int count = 0;
        foreach (double v in group) if (!double.IsNaN(v)) { sum += v; count++; }
        if (count == 0) return double.NaN;
        return policy == DuplicatePolicy.Sum ? sum : sum / count;
    }
}
