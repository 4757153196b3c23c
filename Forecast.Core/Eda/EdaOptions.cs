namespace Forecast.Core.Eda;

/// <summary>Exploratory analysis of the cleaned series. Config section <c>eda:</c>; keys and defaults are in docs/data.md.</summary>
public sealed record EdaOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Plots (series with trend, ACF) are rendered for the first this many series; 0 renders none.</summary>
    public int MaxPlottedSeries { get; init; } = 10;

    /// <summary>Lags of the autocorrelation function; null takes min(n/2, max(3 × season length, 48)), or 8 × season length for sub-daily data (a week and a day).</summary>
    public int? MaxLag { get; init; }

    /// <summary>Season length for the decomposition; null takes the frequency's conventional one (24 for hourly, 12 for monthly, ...).</summary>
    public int? SeasonLength { get; init; }

    public int PlotWidth { get; init; } = 900;
    public int PlotHeight { get; init; } = 400;
}
