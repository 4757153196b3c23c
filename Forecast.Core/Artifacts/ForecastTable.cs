namespace Forecast.Core.Artifacts;

/// <summary>
/// A forecasts.csv read back: per series (and per evaluation window when the file has a window column) the horizon's
/// timestamps, point forecast, quantiles and, for evaluation forecasts, the actuals.
/// </summary>
public sealed record ForecastTable(IReadOnlyList<double> QuantileLevels, IReadOnlyList<ForecastTrace> Traces)
{
    /// <summary>Series ids in file order, each once.</summary>
    public IReadOnlyList<string> SeriesIds => [.. Traces.Select(t => t.SeriesId).Distinct(StringComparer.Ordinal)];
}

/// <summary>The rows of one series in one window: Quantiles[q][h] as in <see cref="Models.SeriesForecast"/>; Actuals null when the file has no y column.</summary>
public sealed record ForecastTrace(string SeriesId, int? Window, DateTime[] Timestamps, double[] Mean, double[][] Quantiles, double[]? Actuals);
