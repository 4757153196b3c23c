using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Models;

/// <summary>What a classical model does when it cannot be fitted to a series.</summary>
public enum StatisticalFailure
{
    /// <summary>The series gets the seasonal naive forecast instead (the R baselines' protocol), noted in model/&lt;name&gt;/models.csv.</summary>
    SeasonalNaive,

    /// <summary>The run stops with the series' id and the reason.</summary>
    Fail,
}

/// <summary>
/// The Trainer-side options every classical model (<c>model.ets</c>, <c>model.arima</c>, <c>model.theta</c>) shares:
/// its season length (null = each series' frequency default), what happens when a series cannot be fitted, and how
/// many series are fitted at once.
/// </summary>
public sealed record StatisticalSettings(int? SeasonLength, StatisticalFailure OnError, int? MaxParallelism)
{
    /// <summary>Reads season_length, on_error and max_parallelism from a model's section.</summary>
    public static StatisticalSettings Read(ConfigSection options) => new(
        options.OptionalInt("season_length", null, min: 1),
        options.Enum("on_error", StatisticalFailure.SeasonalNaive),
        options.OptionalInt("max_parallelism", null, min: 1));
}
