using Forecast.Statistical.Ets;

namespace Forecast.Statistical.Mstl;

/// <summary>
/// Forecasting with multiple seasonalities as R forecast 8.20's <c>forecast(mstl(msts(y, seasonal.periods)))</c>
/// (its <c>forecast.mstl</c>): the series is decomposed by <see cref="Mstl"/>, the seasonally adjusted
/// series (trend + remainder) is forecast by a non-seasonal ETS chosen by AICc (R's default <c>method = "ets"</c>,
/// <c>etsmodel = "ZZN"</c>), and each seasonal component is continued by its last period (seasonal naive) and added
/// back — to the point forecast and to the interval bounds, which are the adjusted series' ETS intervals.
/// </summary>
public sealed record MstlModel : IStatisticalModel
{
    public string Name => "mstl";

    /// <summary>
    /// The periods to decompose (msts' <c>seasonal.periods</c>), e.g. 24 and 168 for hourly data; empty: the season
    /// length given to <see cref="Fit"/> alone (then this is R's <c>stlf()</c>).
    /// </summary>
    public IReadOnlyList<int> SeasonLengths { get; init; } = [];

    /// <summary>
    /// The fewest periods with two full cycles in the series for it to be fitted; R (1) drops the others and decomposes
    /// by what is left. With 2, a series too short for its longer seasonality is unsuitable instead.
    /// </summary>
    public int MinSeasonLengths { get; init; } = 1;

    public MstlOptions Decomposition { get; init; } = new();

    /// <summary>The model of the seasonally adjusted series; R's default <c>ets(x, model = "ZZN")</c>.</summary>
    public AutoEts Adjusted { get; init; } = new() { Model = "ZZN" };

    /// <summary>The periods a series of <paramref name="length"/> observations is decomposed by (those with two full cycles).</summary>
    internal IReadOnlyList<int> UsableSeasonLengths(int length, int seasonLength) =>
        Mstl.UsableSeasonLengths(length, SeasonLengths.Count > 0 ? SeasonLengths : [seasonLength]);

    IFittedModel IStatisticalModel.Fit(ReadOnlySpan<double> y, int seasonLength) => Fit(y, seasonLength);

    /// <summary>Why <paramref name="y"/> is too short for <see cref="MinSeasonLengths"/> of the periods, or has missing values; null when it is not.</summary>
    public string? Unsuitable(ReadOnlySpan<double> y, int seasonLength)
    {
        var periods = UsableSeasonLengths(y.Length, seasonLength);
        if (periods.Count == 0 || periods.Count < MinSeasonLengths)
        {
            string asked = string.Join(", ", SeasonLengths.Count > 0 ? SeasonLengths : [seasonLength]);
            return $"MSTL needs {Math.Max(1, MinSeasonLengths)} of the season lengths {asked} with two full periods in the series; its {y.Length} points have {periods.Count}.";
        }
        foreach (double v in y)
            if (!double.IsFinite(v)) return "MSTL needs a series without missing values (fill them first).";
        return null;
    }

    /// <param name="seasonLength">The series' main period (R's <c>frequency(y)</c>), used when <see cref="SeasonLengths"/> is empty.</param>
    /// <exception cref="UnsuitableSeriesException">Fewer than <see cref="MinSeasonLengths"/> periods have two full
    /// cycles in the series, or it has missing values.</exception>
    public MstlFit Fit(ReadOnlySpan<double> y, int seasonLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        if (Unsuitable(y, seasonLength) is { } why) throw new UnsuitableSeriesException(why);
        var periods = UsableSeasonLengths(y.Length, seasonLength);

        // R's mstl() of a plain ts (no msts periods: SeasonLengths empty) sets iterate = 1; of an msts it keeps
        // iterate even when one period is left, and its second pass differs in the last bits ((y − s) + s ≠ y).
        var options = SeasonLengths.Count == 0 ? Decomposition with { Iterations = 1 } : Decomposition;
        var decomposition = Mstl.Decompose(y, periods, options);
        var adjusted = Adjusted.Fit(decomposition.Adjusted(), 1);
        return new MstlFit(decomposition, adjusted, y.ToArray());
    }
}
