using Forecast.Core.Series;

namespace Forecast.Core.Models.Baselines;

/// <summary>Naive: every step repeats the last observation (R forecast <c>naive()</c>); standard error σ·sqrt(h).</summary>
public sealed class NaiveForecaster(IntervalMethod intervals = IntervalMethod.Gaussian) : BaselineForecaster(intervals)
{
    public const string ModelName = "naive";

    public override string Name => ModelName;

    internal override BaselineFit Fit(TimeSeries history, int horizon) => LagWalk.Fit(history, lag: 1, horizon);
}
