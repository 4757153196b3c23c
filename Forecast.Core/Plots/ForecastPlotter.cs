using Forecast.Core.Models;
using Forecast.Core.Series;
using ScottPlot;

namespace Forecast.Core.Plots;

/// <summary>
/// Renders one series' forecasts as a PNG (ScottPlot 5): the tail of the actuals, the evaluation forecast of the last
/// window with its widest central interval as a band (so the actuals inside/outside are visible), and the forecast
/// beyond the data with its band.
/// </summary>
public static class ForecastPlotter
{
    public static byte[] Render(TimeSeries actuals, SeriesForecast? evaluation, SeriesForecast? future, ForecastPlotOptions options)
    {
        var plot = new Plot();
        try
        {
            int start = Math.Max(0, actuals.Length - options.HistoryPoints - (evaluation?.Mean.Length ?? 0));
            var actual = plot.Add.ScatterLine(
                actuals.Timestamps[start..].Select(t => t.ToOADate()).ToArray(), actuals.Values[start..]);
            actual.LegendText = "actual";
            actual.Color = Colors.Black;
            actual.LineWidth = 1.5f;

            if (evaluation is not null) AddForecast(plot, evaluation, Colors.OrangeRed, "evaluation forecast");
            if (future is not null) AddForecast(plot, future, Colors.RoyalBlue, "forecast");

            plot.Axes.DateTimeTicksBottom();
            plot.Title(actuals.Id);
            plot.ShowLegend(Alignment.UpperLeft);
            return plot.GetImageBytes(options.Width, options.Height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }

    private static void AddForecast(Plot plot, SeriesForecast forecast, Color color, string label)
    {
        var xs = forecast.Timestamps.Select(t => t.ToOADate()).ToArray();
        if (forecast.Quantiles.Length >= 2 && forecast.QuantileLevels[0] < 0.5 && forecast.QuantileLevels[^1] > 0.5)
        {
            var band = plot.Add.FillY(xs, forecast.Quantiles[0], forecast.Quantiles[^1]);
            band.FillColor = color.WithAlpha(0.25);
            band.LineWidth = 0;
            band.LegendText = FormattableString.Invariant($"{label} {forecast.QuantileLevels[0]:0.##}-{forecast.QuantileLevels[^1]:0.##}");
        }
        var line = plot.Add.ScatterLine(xs, forecast.Mean);
        line.Color = color;
        line.LineWidth = 2;
        line.LegendText = label;
    }
}
