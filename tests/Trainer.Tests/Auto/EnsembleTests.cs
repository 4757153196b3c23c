using Forecast.Core.Models;
using Forecast.Trainer.Auto;

namespace Forecast.Trainer.Tests.Auto;

/// <summary>
/// The ensembles of model: auto: Caruana's greedy selection finds the weights of forecasts whose errors cancel, and
/// keeps the rounds up to the best score; combined quantiles are the level-by-level combination and never cross.
/// Expected values are worked out by hand from the constructed forecasts.
/// </summary>
public class EnsembleTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    private static SeriesForecast Forecast(double[] mean, double[][]? quantiles = null) =>
        new("s", [.. mean.Select((_, h) => new DateTime(2020, 1, 1).AddDays(h))], mean, Levels,
            quantiles ?? [.. Levels.Select(_ => (double[])mean.Clone())]);

    private static double[] Shift(double[] values, double by) => [.. values.Select(v => v + by)];

    [Fact]
    public void GreedySelectionWeighsForecastsWhoseErrorsCancelEquallyAndLeavesTheBadOneOut()
    {
        double[] actual = [10, 12, 9, 11];
        // A is 2 too high, B 2 too low, C 5 too high: A + B averages to the actuals exactly.
        var item = new GreedyEnsemble.Item(0, actual, Scale: 1, [Forecast(Shift(actual, 2)), Forecast(Shift(actual, -2)), Forecast(Shift(actual, 5))]);

        var weights = GreedyEnsemble.Fit([item], candidates: 3, SelectionMetric.Mase, Levels, rounds: 10);

        // Round 1 takes A (tied with B, listed first), round 2 B (error 0); later rounds only add error, so the
        // ensemble is cut back to the two rounds.
        weights.Should().Equal(0.5, 0.5, 0);
    }

    [Fact]
    public void GreedySelectionOnWqlFitsTheQuantilesAndWeightsByHowOftenACandidateWasAdded()
    {
        double[] actual = [100, 100];
        // Quantile rows of A sit 30 below the actuals, of B 10 above: the average of A, B, B, B is exactly right
        // (-30 + 3·10 = 0), no smaller ensemble is.
        double[][] Rows(double offset) => [.. Levels.Select(_ => Shift(actual, offset))];
        var a = Forecast(Shift(actual, -30), Rows(-30));
        var b = Forecast(Shift(actual, 10), Rows(10));
        var item = new GreedyEnsemble.Item(0, actual, Scale: 1, [a, b]);

        var weights = GreedyEnsemble.Fit([item], candidates: 2, SelectionMetric.Wql, Levels, rounds: 20);

        weights.Should().Equal(0.25, 0.75);
    }

    [Fact]
    public void GreedyWeightsSumToOneOverSeveralSeriesAndWindows()
    {
        var random = new Random(7);
        var items = new List<GreedyEnsemble.Item>();
        for (int s = 0; s < 5; s++)
            for (int w = 0; w < 2; w++)
            {
                double[] actual = [.. Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 10)];
                items.Add(new GreedyEnsemble.Item(s, actual, 1 + s, [.. Enumerable.Range(0, 4).Select(c => Forecast(Shift(actual, random.NextDouble() * 4 - 2 + c)))]));
            }

        var weights = GreedyEnsemble.Fit(items, 4, SelectionMetric.Mase, Levels, rounds: 50);

        weights.Sum().Should().BeApproximately(1, 1e-12);
        weights.Should().OnlyContain(w => w >= 0);
    }

    [Fact]
    public void WeightedCombinationAveragesTheMeanAndEveryQuantileLevelWithTheWeights()
    {
        var a = Forecast([0, 4], [[-1, 3], [0, 4], [1, 5]]);
        var b = Forecast([8, 8], [[4, 6], [8, 8], [12, 10]]);

        var combined = ForecastCombiner.Weighted([(a, 1), (b, 3)]);

        combined.Mean.Should().Equal(0.25 * 0 + 0.75 * 8, 0.25 * 4 + 0.75 * 8);
        combined.Quantiles[0].Should().Equal(0.25 * -1 + 0.75 * 4, 0.25 * 3 + 0.75 * 6);
        combined.Quantiles[1].Should().Equal(0.25 * 0 + 0.75 * 8, 0.25 * 4 + 0.75 * 8);
        combined.Quantiles[2].Should().Equal(0.25 * 1 + 0.75 * 12, 0.25 * 5 + 0.75 * 10);
        combined.Timestamps.Should().Equal(a.Timestamps);
    }

    [Fact]
    public void MedianCombinationTakesTheMiddleValueOfEachStepAndLevel()
    {
        var a = Forecast([1], [[0], [1], [2]]);
        var b = Forecast([5], [[3], [5], [9]]);
        var c = Forecast([3], [[1], [2], [4]]);

        var combined = ForecastCombiner.Median([a, b, c]);

        combined.Mean.Should().Equal(3);
        combined.Quantiles.Select(row => row[0]).Should().Equal(1, 2, 4);
        ForecastCombiner.Median([a, b]).Quantiles.Select(row => row[0]).Should().Equal([1.5, 3, 5.5], "an even count takes the mean of the middle two");
    }

    [Fact]
    public void CombinedQuantilesNeverCrossEvenWhenAMemberIsInconsistent()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var members = Enumerable.Range(0, 4).Select(_ =>
            {
                double[] mean = [.. Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 10)];
                // Deliberately unordered levels: the combination must still give ordered quantiles.
                return Forecast(mean, [.. Levels.Select(_ => mean.Select(m => m + random.NextDouble() * 6 - 3).ToArray())]);
            }).ToList();

            foreach (var combined in new[] { ForecastCombiner.Weighted([.. members.Select((m, i) => (m, 1.0 + i))]), ForecastCombiner.Median(members) })
                for (int h = 0; h < 5; h++)
                    combined.Quantiles.Select(row => row[h]).Should().BeInAscendingOrder();
        }
    }
}
