using Forecast.Core.Series;

namespace Forecast.Core.Cleaning;

/// <summary>
/// Makes loaded series regular: infers (or takes) the frequency, merges duplicate timestamps, reindexes to the full
/// grid, fills missing values and drops or rejects short series, reporting each change.
/// </summary>
public static class SeriesCleaner
{
    /// <param name="source">The file the series came from, named in error messages.</param>
    public static CleanedData Clean(IReadOnlyList<TimeSeries> series, CleaningOptions options, string? source = null)
    {
        throw new NotImplementedException();
    }
}
