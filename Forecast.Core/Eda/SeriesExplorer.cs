using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Series;
using Forecast.Statistical.Decomposition;

namespace Forecast.Core.Eda;

/// <summary>
/// Exploratory analysis of cleaned series: summary statistics, trend and seasonal strength (Hyndman's F_T, F_S)
/// from a real STL decomposition (<see cref="Stl"/>, loess inner and outer loops; a loess trend alone for series
/// without a season), season lengths from ACF peaks, and PNG plots of the first series. Writes no files: the plots
/// come back as bytes for the pipeline's artifact store.
/// </summary>
public static class SeriesExplorer
{
    /// <summary>The ACF is computed up to at least this lag (two days of hourly data), unless the series is shorter.</summary>
    private const int MinDefaultLag = 48;

    /// <summary>The plots of a series are &lt;name&gt;.series.png (with its STL trend) and &lt;name&gt;.acf.png.</summary>
    public const string SeriesPlotSuffix = ".series.png", AcfPlotSuffix = ".acf.png";

    public static EdaResult Explore(IReadOnlyList<TimeSeries> series, EdaOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled) return new EdaResult(new EdaReport(), []);
        if (options.MaxPlottedSeries < 0) throw new ArgumentOutOfRangeException(nameof(options), options.MaxPlottedSeries, "eda.max_plotted_series must be 0 or more.");
        if (options.SeasonLength is < 1) throw new ArgumentOutOfRangeException(nameof(options), options.SeasonLength, "eda.season_length must be at least 1.");

        // Series are independent: analyse them on every core. Only the plotted ones keep their trend and ACF.
        var analyses = new Analysis[series.Count];
        Parallel.For(0, series.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => analyses[i] = Analyse(series[i], options, keepForPlots: i < options.MaxPlottedSeries));

        var plots = new List<EdaPlot>();
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Math.Min(options.MaxPlottedSeries, series.Count); i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var a = analyses[i];
            string name = Artifacts.SeriesFileNames.For(series[i].Id, usedNames);
            plots.Add(new EdaPlot(series[i].Id, name, SeriesPlotSuffix, EdaPlotter.SeriesWithTrend(series[i], a.Trend!, options.PlotWidth, options.PlotHeight)));
            plots.Add(new EdaPlot(series[i].Id, name, AcfPlotSuffix, EdaPlotter.Acf(series[i].Id, a.Acf!, series[i].Length, options.PlotWidth, options.PlotHeight)));
        }

        var report = new EdaReport { Overall = Overall(series, analyses), Series = [.. analyses.Select(a => a.Report)] };
        return new EdaResult(report, plots);
    }

    /// <summary>The statistics of one series, and its trend and ACF when it is plotted.</summary>
    private sealed record Analysis(SeriesEda Report, double[]? Trend, double[]? Acf);

    private static Analysis Analyse(TimeSeries s, EdaOptions options, bool keepForPlots)
    {
        var observed = s.Values.Where(v => !double.IsNaN(v)).ToArray();
        // STL and the ACF need a gap-free series: missing values left by cleaning (fill_missing: none) are interpolated here only.
        var filled = (double[])s.Values.Clone();
        MissingValueFiller.Fill(filled, FillPolicy.Linear);

        int season = options.SeasonLength ?? s.Frequency?.DefaultSeasonLength ?? 1;
        // Three seasons by default; eight days for sub-daily data, so a weekly season (168 h) shows beside the daily one.
        bool subDaily = s.Frequency?.Unit is FrequencyUnit.Minute or FrequencyUnit.Hour;
        int maxLag = options.MaxLag ?? Math.Min(s.Length / 2, Math.Max((subDaily ? 8 : 3) * season, MinDefaultLag));
        maxLag = Math.Clamp(maxLag, 1, Math.Max(1, s.Length - 1));

        bool enough = observed.Length >= 3;
        bool seasonal = enough && season >= 2 && s.Length >= 2 * season;
        var decomposition = !enough ? new StlDecomposition((double[])filled.Clone(), new double[s.Length], new double[s.Length])
            : seasonal ? Stl.Decompose(filled, season)
            : NonSeasonalTrend.Decompose(filled);
        var acf = keepForPlots && enough ? Autocorrelation.Compute(filled, maxLag) : [];

        double mean = observed.Length > 0 ? observed.Average() : double.NaN;
        var report = new SeriesEda
        {
            Id = s.Id,
            Length = s.Length,
            Start = s.Length > 0 ? TimestampParser.Format(s.Timestamps[0]) : "",
            End = s.Length > 0 ? TimestampParser.Format(s.Timestamps[^1]) : "",
            Frequency = s.Frequency?.ToString() ?? "",
            MissingShare = s.Length > 0 ? 1.0 - (double)observed.Length / s.Length : 0,
            Mean = observed.Length > 0 ? mean : null,
            Std = observed.Length > 1 ? Math.Sqrt(observed.Sum(v => (v - mean) * (v - mean)) / (observed.Length - 1)) : null,
            Min = observed.Length > 0 ? observed.Min() : null,
            Max = observed.Length > 0 ? observed.Max() : null,
            TrendStrength = enough ? TrendSeasonalStrength.Trend(decomposition) : null,
            SeasonalStrength = seasonal ? TrendSeasonalStrength.Seasonal(decomposition) : null,
            SeasonLength = seasonal ? season : 1,
            DetectedSeasonLengths = enough ? SeasonDetector.Detect(filled, maxLag) : [],
        };
        return keepForPlots ? new Analysis(report, decomposition.Trend, acf) : new Analysis(report, null, null);
    }

    private static OverallEda Overall(IReadOnlyList<TimeSeries> series, Analysis[] analyses)
    {
        var overall = new OverallEdaAccumulator();
        for (int i = 0; i < series.Count; i++) overall.Add(analyses[i].Report, series[i]);
        return overall.Result();
    }
}
