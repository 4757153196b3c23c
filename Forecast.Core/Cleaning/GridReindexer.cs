using Forecast.Core.Data;
using Forecast.Core.Series;

namespace Forecast.Core.Cleaning;

/// <summary>
/// Puts one series on the full regular grid of its frequency, from its first to its last timestamp; timestamps
/// absent from the data get NaN (target and covariates). A timestamp off the grid is an error.
/// </summary>
internal static class GridReindexer
{
    /// <summary>A grid this many times longer than the data (plus a margin) means the frequency is wrong, not that data is missing.</summary>
    private const int MaxGridGrowth = 10;

    /// <returns>The reindexed series and how many timestamps were added.</returns>
    public static (TimeSeries Series, int Added) Reindex(TimeSeries series, Frequency frequency, string? source)
    {
        var observed = series.Timestamps;
        var start = observed[0];
        var end = observed[^1];
        long limit = (long)observed.Length * MaxGridGrowth + 1000;
        var grid = new List<DateTime>(observed.Length);
        for (long k = 0; ; k++)
        {
            var g = frequency.Add(start, k);
            if (g > end) break;
            if (grid.Count >= limit)
                throw new DataException(
                    $"series '{series.Id}' would grow from {observed.Length} to more than {limit} points on a {frequency} grid "
                    + $"({TimestampParser.Format(start)} to {TimestampParser.Format(end)}); set cleaning.frequency to the data's real frequency.",
                    source, field: series.Id);
            grid.Add(g);
        }
        if (grid.Count == observed.Length && observed.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(grid))) return (series, 0);

        var values = new double[grid.Count];
        var covariates = series.Covariates.ToDictionary(kv => kv.Key, _ => new double[grid.Count]);
        var offGrid = new List<string>();
        int j = 0;
        for (int i = 0; i < grid.Count; i++)
        {
            while (j < observed.Length && observed[j] < grid[i])
            {
                if (offGrid.Count < FrequencyInference.MaxIrregularReported) offGrid.Add(TimestampParser.Format(observed[j]));
                j++;
            }
            if (j < observed.Length && observed[j] == grid[i])
            {
                values[i] = series.Values[j];
                foreach (var (name, column) in series.Covariates) covariates[name][i] = column[j];
                j++;
            }
            else
            {
                values[i] = double.NaN;
                foreach (var column in covariates.Values) column[i] = double.NaN;
            }
        }
        // The last timestamp lies beyond the last grid point when it is off the grid itself.
        for (; j < observed.Length && offGrid.Count < FrequencyInference.MaxIrregularReported; j++) offGrid.Add(TimestampParser.Format(observed[j]));
        if (offGrid.Count > 0)
            throw new DataException(
                $"series '{series.Id}' has timestamps off its {frequency} grid starting {TimestampParser.Format(start)}: {string.Join(", ", offGrid)}; "
                + "fix those timestamps or set cleaning.frequency to one that fits all of them.",
                source, field: series.Id);

        return (series with { Timestamps = [.. grid], Values = values, Covariates = covariates }, grid.Count - observed.Length);
    }
}
