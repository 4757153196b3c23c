namespace Forecast.Prophet;

/// <summary>
/// The constructor options of prophet's <c>Prophet(...)</c> (forecaster.py: <c>Prophet.__init__</c>; spec §1), with
/// the same defaults.
/// </summary>
public sealed record ProphetOptions
{
    public Growth Growth { get; init; } = Growth.Linear;

    /// <summary>Explicit changepoint dates (must lie within the history). When set, NChangepoints is ignored.</summary>
    public IReadOnlyList<DateTime>? Changepoints { get; init; }

    public int NChangepoints { get; init; } = 25;

    public double ChangepointRange { get; init; } = 0.8;

    public SeasonalitySetting YearlySeasonality { get; init; } = SeasonalitySetting.Auto;

    public SeasonalitySetting WeeklySeasonality { get; init; } = SeasonalitySetting.Auto;

    public SeasonalitySetting DailySeasonality { get; init; } = SeasonalitySetting.Auto;

    /// <summary>User holidays (prophet's <c>holidays</c> data frame), one row per occurrence.</summary>
    public IReadOnlyList<HolidayEvent>? Holidays { get; init; }

    public SeasonalityMode SeasonalityMode { get; init; } = SeasonalityMode.Additive;

    /// <summary>Mode of holidays (Python 1.1.5+ <c>holidays_mode</c>); null = SeasonalityMode (R behaviour).</summary>
    public SeasonalityMode? HolidaysMode { get; init; }

    public double SeasonalityPriorScale { get; init; } = 10.0;

    public double HolidaysPriorScale { get; init; } = 10.0;

    public double ChangepointPriorScale { get; init; } = 0.05;

    public double IntervalWidth { get; init; } = 0.80;

    /// <summary>Number of simulated paths for intervals; 0 turns intervals off.</summary>
    public int UncertaintySamples { get; init; } = 1000;

    public Scaling Scaling { get; init; } = Scaling.AbsMax;

    /// <summary>
    /// Simulate the intervals of history rows too (R prophet does). Off by default: before the end of the history no
    /// path has a new changepoint, so yhat there is the point forecast plus Gaussian noise and its percentiles are
    /// computed exactly (the simulated ones converge to them) — intervals then cost only the future rows.
    /// </summary>
    public bool SimulateHistoryIntervals { get; init; }

    /// <summary>How future trend paths are simulated: R prophet 1.0's (default, spec §12a) or Python 1.1's vectorised one (§12b).</summary>
    public IntervalMethod IntervalMethod { get; init; } = IntervalMethod.RPoissonChangepoints;

    /// <summary>Seed of the interval simulation; null draws a random seed (prophet uses the global RNG).</summary>
    public int? Seed { get; init; }

    /// <summary>Holiday column order; Ordinal is Python's, CaseInsensitive reproduces R's golden runs.</summary>
    public HolidayColumnOrder HolidayColumnOrder { get; init; } = HolidayColumnOrder.Ordinal;

    internal SeasonalityMode EffectiveHolidaysMode => HolidaysMode ?? SeasonalityMode;
}
