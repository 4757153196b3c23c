namespace Forecast.Chronos.Common;

/// <summary>
/// One series' forecast as plain arrays for adapters: <c>Quantiles[level][step]</c> for the requested
/// <see cref="Levels"/> and the pipeline's mean (Bolt: the 0.5 quantile; T5: the sample mean).
/// </summary>
public sealed record QuantileForecast(IReadOnlyList<float> Levels, float[][] Quantiles, float[] Mean);
