namespace Forecast.Core.Models.Baselines;

/// <summary>Options shared by the baseline models (config section <c>model.baseline</c>).</summary>
public sealed record BaselineOptions
{
    /// <summary>Season length m for seasonal naive; null takes <see cref="Series.Frequency.DefaultSeasonLength"/> of each series.</summary>
    public int? SeasonLength { get; init; }

    public IntervalMethod Intervals { get; init; } = IntervalMethod.Gaussian;
}
