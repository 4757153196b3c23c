namespace Forecast.Trainer.Configuration;

/// <summary>Config section <c>plots:</c> — forecast plots (actuals, evaluation forecast with its band, future forecast).</summary>
public sealed record PlotOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Plots are rendered for the first this many series.</summary>
    public int MaxSeries { get; init; } = 10;

    public Core.Plots.ForecastPlotOptions Render { get; init; } = new();
}
