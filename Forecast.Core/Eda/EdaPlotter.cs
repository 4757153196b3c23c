using Forecast.Core.Series;
using ScottPlot;

namespace Forecast.Core.Eda;

/// <summary>Renders the EDA plots with ScottPlot 5 to PNG bytes: the series with its trend, and its ACF with the 95% band.</summary>
public static class EdaPlotter
{
    public static byte[] SeriesWithTrend(TimeSeries series, double[] trend, int width, int height)
    {
        using var plot = new Plot();
        var x = series.Timestamps.Select(t => t.ToOADate()).ToArray();
        var observed = plot.Add.ScatterLine(x, series.Values);
        observed.LegendText = "y";
        observed.LineWidth = 1;
        observed.Color = Colors.SteelBlue;
        var smooth = plot.Add.ScatterLine(x, trend);
        smooth.LegendText = "trend (STL)";
        smooth.LineWidth = 2;
        smooth.Color = Colors.OrangeRed;
        var dates = plot.Axes.DateTimeTicksBottom();
        if (dates.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic automatic)
            automatic.LabelFormatter = TickLabel;
        plot.Title($"{series.Id} ({series.Frequency?.ToString() ?? "?"})");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>ISO-style tick labels, as short as the tick allows: 1961, 1961-04, 2000-06-12, 06-12 13:30.</summary>
    private static string TickLabel(DateTime t)
    {
        string format = t.TimeOfDay != TimeSpan.Zero ? "MM-dd HH:mm" : t.Day != 1 ? "yyyy-MM-dd" : t.Month != 1 ? "yyyy-MM" : "yyyy";
        return t.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static byte[] Acf(string id, double[] acf, int n, int width, int height)
    {
        using var plot = new Plot();
        var lags = Enumerable.Range(0, acf.Length).Select(k => (double)k).ToArray();
        var bars = plot.Add.Bars(lags, acf.Select(v => double.IsNaN(v) ? 0 : v).ToArray());
        // Dozens of lags read as bars; hundreds (sub-daily data) as a dense comb, so no outlines that would blacken it.
        foreach (var bar in bars.Bars)
        {
            bar.Size = acf.Length > 60 ? 0.8 : 0.4;
            bar.FillColor = Colors.SteelBlue;
            bar.LineWidth = 0;
        }
        double band = Autocorrelation.ConfidenceBand(n);
        foreach (double level in new[] { band, -band })
        {
            var line = plot.Add.HorizontalLine(level);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.OrangeRed;
            line.LineWidth = 1;
        }
        plot.Add.HorizontalLine(0).Color = Colors.Black;
        plot.Title($"{id}: autocorrelation (dashed: 95% band ±1.96/√n)");
        plot.XLabel("lag");
        plot.YLabel("ACF");
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
