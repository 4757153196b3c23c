namespace Forecast.Core.Models.Baselines;

/// <summary>
/// The options every baseline takes (config sections <c>model.naive</c>, <c>model.seasonal_naive</c>,
/// <c>model.mean</c>; seasonal naive adds its season length), with their defaults.
/// </summary>
public sealed record BaselineOptions
{
    public IntervalMethod Intervals { get; init; } = IntervalMethod.Gaussian;
}
