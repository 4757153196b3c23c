using ScottPlot;

namespace Forecast.Prophet;

/// <summary>
/// PNG plots of a fitted model (python/prophet/plot.py: <c>plot</c>, <c>plot_components</c>,
/// <c>add_changepoints_to_plot</c>), drawn with ScottPlot: the forecast plot (history points, yhat, interval band,
/// significant changepoints) and one panel per component (trend, holidays, seasonalities, regressors).
/// </summary>
public static class ProphetPlots
{
    /// <summary>The forecast plot; <paramref name="changepointThreshold"/> is prophet's |delta| threshold (0.01).</summary>
    public static Plot Forecast(Prophet model, ProphetForecast forecast, bool showChangepoints = true, double changepointThreshold = 0.01)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forecast);
        var plot = new Plot();
        var x = forecast.Ds.Select(d => d.ToOADate()).ToArray();
        if (forecast.YhatLower is { } lower && forecast.YhatUpper is { } upper)
        {
            var band = plot.Add.FillY(x, lower, upper);
            band.FillColor = Colors.CornflowerBlue.WithAlpha(0.25);
            band.LineWidth = 0;
            band.LegendText = "uncertainty interval";
        }

        var yhat = plot.Add.ScatterLine(x, forecast.Yhat);
        yhat.Color = Color.FromHex("#0072B2");
        yhat.LineWidth = 2;
        yhat.LegendText = "yhat";
        if (model.History is { } history && history.Y is { } y)
        {
            var points = plot.Add.Markers(history.Ds.Select(d => d.ToOADate()).ToArray(), y);
            points.Color = Colors.Black;
            points.MarkerSize = 3;
            points.LegendText = "observed";
        }

        if (showChangepoints && model.Params is { } p && model.Options.Growth != Growth.Flat)
        {
            var trend = plot.Add.ScatterLine(x, forecast.Trend);
            trend.Color = Colors.Red;
            trend.LineWidth = 1.5f;
            trend.LegendText = "trend";
            for (var j = 0; j < model.Changepoints.Length && j < p.Delta.Length; j++)
            {
                if (Math.Abs(p.Delta[j]) >= changepointThreshold)
                {
                    var line = plot.Add.VerticalLine(model.Changepoints[j].ToOADate());
                    line.Color = Colors.Red.WithAlpha(0.6);
                    line.LinePattern = LinePattern.Dashed;
                    line.LineWidth = 1;
                }
            }
        }

        plot.Axes.DateTimeTicksBottom();
        plot.XLabel("ds");
        plot.YLabel("y");
        plot.ShowLegend();
        return plot;
    }

    /// <summary>Writes the forecast plot as a PNG.</summary>
    public static void SaveForecastPng(Prophet model, ProphetForecast forecast, string path, int width = 1000, int height = 600) =>
        Forecast(model, forecast).SavePng(path, width, height);

    /// <summary>
    /// One plot per component, in prophet's order: trend, holidays, then seasonalities and regressor groups present
    /// in the forecast. Seasonalities are drawn over the forecast's dates.
    /// </summary>
    public static IReadOnlyList<Plot> Components(Prophet model, ProphetForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forecast);
        var names = new List<string> { "trend" };
        if (forecast.HasColumn("holidays"))
        {
            names.Add("holidays");
        }

        names.AddRange(model.Seasonalities.Select(s => s.Name).Where(forecast.HasColumn));
        names.AddRange(new[] { "extra_regressors_additive", "extra_regressors_multiplicative" }.Where(forecast.HasColumn));
        var x = forecast.Ds.Select(d => d.ToOADate()).ToArray();
        var plots = new List<Plot>();
        var seasonalities = model.Seasonalities.ToDictionary(v => v.Name);
        foreach (var name in names)
        {
            var plot = new Plot();
            if (seasonalities.TryGetValue(name, out var seasonality))
            {
                // plot.py plot_weekly / plot_yearly / plot_seasonality: one period of the seasonality.
                var (dates, values) = OnePeriod(model, seasonality);
                var curve = plot.Add.ScatterLine(dates.Select(d => d.ToOADate()).ToArray(), values);
                curve.Color = Color.FromHex("#0072B2");
                curve.LineWidth = 2;
            }
            else
            {
                var line = plot.Add.ScatterLine(x, forecast[name]);
                line.Color = Color.FromHex("#0072B2");
                line.LineWidth = 2;
                if (name == "trend" && forecast.HasColumn("trend_lower"))
                {
                    var band = plot.Add.FillY(x, forecast["trend_lower"], forecast["trend_upper"]);
                    band.FillColor = Colors.CornflowerBlue.WithAlpha(0.25);
                    band.LineWidth = 0;
                }
            }

            plot.Axes.DateTimeTicksBottom();
            var multiplicative = model.ComponentModes.TryGetValue(SeasonalityMode.Multiplicative, out var m) && m.Contains(name);
            plot.YLabel(multiplicative ? name + " (fraction of trend)" : name);
            plots.Add(plot);
        }

        return plots;
    }

    /// <summary>Writes the component plots stacked vertically into one PNG.</summary>
    public static void SaveComponentsPng(Prophet model, ProphetForecast forecast, string path, int width = 1000, int panelHeight = 300)
    {
        var plots = Components(model, forecast);
        var multiplot = new Multiplot();
        multiplot.Reset(plots[0]); // a new Multiplot starts with an empty plot of its own
        foreach (var plot in plots.Skip(1))
        {
            multiplot.AddPlot(plot);
        }

        multiplot.SavePng(path, width, panelHeight * plots.Count);
    }

    /// <summary>The seasonality's values over one period from 2017-01-01 (a Sunday), as prophet's seasonality plots.</summary>
    private static (DateTime[] Dates, double[] Values) OnePeriod(Prophet model, Seasonality seasonality)
    {
        const int points = 400;
        var start = new DateTime(2017, 1, 1);
        var dates = Enumerable.Range(0, points).Select(i => start.AddDays(seasonality.Period * i / (points - 1))).ToArray();
        var columns = model.FeatureNames
            .Select((name, j) => (name, j))
            .Where(p => p.name.StartsWith(seasonality.Name + HolidayFeatures.Delimiter, StringComparison.Ordinal))
            .Select(p => p.j)
            .ToArray();
        var beta = model.Params!.Beta;
        var scale = seasonality.Mode == SeasonalityMode.Additive ? model.YScale : 1.0;
        var features = new double[2 * seasonality.FourierOrder];
        var values = new double[points];
        for (var i = 0; i < points; i++)
        {
            FourierSeries.Fill(dates[i], seasonality.Period, seasonality.FourierOrder, features);
            var sum = 0.0;
            for (var c = 0; c < columns.Length && c < features.Length; c++)
            {
                sum += features[c] * beta[columns[c]];
            }

            values[i] = sum * scale;
        }

        return (dates, values);
    }
}
