using Forecast.Core.Series;

namespace Forecast.Core.Eda;

/// <summary>
/// Exploratory analysis of cleaned series: summary statistics, STL trend and seasonal strength, ACF season
/// detection, and PNG plots of the first series. Writes no files: the plots come back as bytes.
/// </summary>
public static class SeriesExplorer
{
    public static EdaResult Explore(IReadOnlyList<TimeSeries> series, EdaOptions options, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException();
    }
}
