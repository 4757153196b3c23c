namespace Forecast.Core.Plots;

/// <summary>Size of the forecast plots and how much history they show.</summary>
public sealed record ForecastPlotOptions
{
    public int Width { get; init; } = 900;
    public int Height { get; init; } = 400;

    /// <summary>History points shown before the forecasts (the tail of the series), so the horizon stays readable.</summary>
    public int HistoryPoints { get; init; } = 200;
}
