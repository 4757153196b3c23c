using Forecast.Core.Models;
using Forecast.Trainer.Auto;

namespace Forecast.Trainer.Tests.Auto;

/// <summary>
/// model.auto.calibration: scale — the factor on the quantiles' spread minimises the pooled pinball loss over the
/// backtest windows given, and the cross-fitted score judges each window by the factor fitted on the others. Expected
/// values are worked out by hand: with 7 actuals, the pinball loss of level 0.9 is least at the 7th smallest (7·0.9 =
/// 6.3 rounds up), of level 0.1 at the smallest, so quantiles at mean ∓ 1 are best scaled to the extreme actuals.
/// </summary>
public class IntervalScalingTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    /// <summary>Mean 0 at every step, quantiles −1, 0, +1.</summary>
    private static SeriesForecast Unit(int horizon)
    {
        var zero = new double[horizon];
        return new SeriesForecast("s", [.. Enumerable.Range(0, horizon).Select(h => new DateTime(2020, 1, 1).AddHours(h))], zero, Levels,
            [Enumerable.Repeat(-1.0, horizon).ToArray(), new double[horizon], Enumerable.Repeat(1.0, horizon).ToArray()]);
    }

    private static readonly double[] Wide = [-5, -2, -1, 0, 1, 2, 5];
    private static readonly double[] Narrow = [-2.5, -1, -0.5, 0, 0.5, 1, 2.5];

    [Fact]
    public void TheFactorMovesTheOuterQuantilesToWherePinballLossIsLeast()
    {
        IntervalScaling.Fit([new(Wide, Unit(7), 1)], Levels).Should().BeApproximately(5, 1e-6);
        IntervalScaling.Fit([new(Narrow, Unit(7), 1)], Levels).Should().BeApproximately(2.5, 1e-6);
    }

    [Fact]
    public void EachWindowIsScoredWithTheFactorFittedOnTheOtherWindows()
    {
        var part = IntervalScaling.CrossFitted([new(Wide, Unit(7), 1), new(Narrow, Unit(7), 1)], Levels);

        // Wide scored at 2.5 (Narrow's factor): levels 0.9 and 0.1 lose 4.25 each, 0.5 loses 8 → 2·16.5/3 = 11 over Σ|y| 16.
        // Narrow scored at 5 (Wide's factor): 3.5 + 3.5 + 4 → 2·11/3 over Σ|y| 8. Pooled: (11 + 22/3) / 24 = 55/72.
        part.Should().NotBeNull();
        part!.Value.Value.Should().BeApproximately(55.0 / 72, 1e-9);
    }

    [Fact]
    public void OneWindowHasNothingToCrossFitOn()
    {
        IntervalScaling.CrossFitted([new(Wide, Unit(7), 1)], Levels).Should().BeNull();
    }

    [Fact]
    public void QuantilesWithoutSpreadKeepTheirFactorOfOne()
    {
        var flat = Unit(7) with { Quantiles = [new double[7], new double[7], new double[7]] };

        IntervalScaling.Fit([new(Wide, flat, 1)], Levels).Should().Be(1);
    }

    [Fact]
    public void ScalingKeepsThePointForecastAndTheOrderOfTheLevels()
    {
        var forecast = Unit(3) with { Mean = [10, 20, 30], Quantiles = [[8, 17, 29], [10, 20, 30], [13, 22, 31]] };

        var scaled = IntervalScaling.Apply(forecast, 0.5);

        scaled.Mean.Should().Equal(10, 20, 30);
        scaled.Quantiles[0].Should().Equal(9, 18.5, 29.5);
        scaled.Quantiles[1].Should().Equal(10, 20, 30);
        scaled.Quantiles[2].Should().Equal(11.5, 21, 30.5);
    }
}
