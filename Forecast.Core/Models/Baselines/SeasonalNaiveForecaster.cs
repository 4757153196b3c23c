using Forecast.Core.Series;

namespace Forecast.Core.Models.Baselines;

/// <summary>
/// Seasonal naive: step h repeats the observation one season (m) before it (R forecast <c>snaive()</c>); standard
/// error σ·sqrt(floor((h-1)/m) + 1). m comes from <paramref name="seasonLength"/> or, when null, from each series'
/// frequency (<see cref="Frequency.DefaultSeasonLength"/>). A series shorter than one season falls back to m = 1
/// (naive), where R's snaive would fail, so one short series does not stop a batch of thousands.
/// </summary>
public sealed class SeasonalNaiveForecaster(int? seasonLength = null, IntervalMethod intervals = IntervalMethod.Gaussian)
    : BaselineForecaster(intervals)
{
    public const string ModelName = "seasonal_naive";

    public override string Name => ModelName;

    public int? SeasonLength { get; } = seasonLength is null or >= 1
        ? seasonLength
        : throw new ArgumentOutOfRangeException(nameof(seasonLength), seasonLength, "The season length must be at least 1.");

    internal override BaselineFit Fit(TimeSeries history, int horizon)
    {
        int m = SeasonLengthOf(history);
        return LagWalk.Fit(history, history.Length >= m ? m : 1, horizon);
    }

    /// <summary>The season length used for <paramref name="series"/>: the configured one, else its frequency's default, else 1.</summary>
    public int SeasonLengthOf(TimeSeries series) => SeasonLength ?? series.Frequency?.DefaultSeasonLength ?? 1;
}
