using Forecast.Core.Evaluation;
using Forecast.Core.Models;
using Forecast.Core.Series;

namespace Forecast.Core.Tests.Evaluation;

public class MetricsCalculatorTests
{
    private static readonly DateTime Start = new(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static TimeSeries Series(string id, params double[] values) =>
        new(id, Enumerable.Range(0, values.Length).Select(i => Start.AddDays(i)).ToArray(), values) { Frequency = Frequency.Daily };

    private static SeriesForecast Forecast(string id, double[] mean, double[] q10, double[] q90) =>
        new(id, Enumerable.Range(0, mean.Length).Select(i => Start.AddDays(100 + i)).ToArray(), mean, [0.1, 0.9], [q10, q90]);

    [Fact]
    public void ComputesEveryMetricByHand()
    {
        // History 1,2,4 (m = 1: scale mean(|1|,|2|) = 1.5); actuals 4, 8; forecast 5, 6; interval [4.5, 5.5], [5, 9].
        var window = new EvaluationWindow(0, [Series("a", 1, 2, 4)], [[4.0, 8.0]]);
        var forecast = Forecast("a", [5, 6], [4.5, 5], [5.5, 9]);

        var m = MetricsCalculator.Score("d", "x", [window], [[forecast]], _ => 1, MetricNames.All).Dataset.Metrics;

        m[MetricNames.Mae].Should().BeApproximately(1.5, 1e-12);
        m[MetricNames.Rmse].Should().BeApproximately(Math.Sqrt(2.5), 1e-12);
        m[MetricNames.Mape].Should().BeApproximately((25 + 25) / 2.0, 1e-12);
        m[MetricNames.Smape].Should().BeApproximately((200.0 / 9 + 400.0 / 14) / 2, 1e-12);
        m[MetricNames.Mase].Should().BeApproximately(1.0, 1e-12);
        m[MetricNames.Wape].Should().BeApproximately(3.0 / 12, 1e-12);
        // q0.1: y=4 <= 4.5 → 2·0.5·0.9 = 0.9; y=8 > 5 → 2·3·0.1 = 0.6.  q0.9: y=4 <= 5.5 → 2·1.5·0.1 = 0.3; y=8 <= 9 → 2·1·0.1 = 0.2.
        m[MetricNames.Wql].Should().BeApproximately((1.5 / 12 + 0.5 / 12) / 2, 1e-12);
        m["coverage_80"].Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void DatasetAveragesPerForecastMetricsAndPoolsWeightedOnes()
    {
        var window = new EvaluationWindow(0, [Series("small", 1, 2), Series("big", 100, 200)], [[2.0], [100.0]]);
        var forecasts = new[] { Forecast("small", [1], [1], [1]), Forecast("big", [110], [110], [110]) };

        var score = MetricsCalculator.Score("d", "x", [window], [forecasts], _ => 1, [MetricNames.Mae, MetricNames.Wape]);

        score.Dataset.Metrics[MetricNames.Mae].Should().BeApproximately(5.5, 1e-12);
        score.Dataset.Metrics[MetricNames.Wape].Should().BeApproximately(11.0 / 102, 1e-12);
        score.PerSeries.Select(s => s.Metrics[MetricNames.Wape]).Should().Equal(0.5, 0.1);
    }

    [Fact]
    public void MissingActualsAreSkippedAndZeroScaleSeriesLeaveMaseOut()
    {
        var window = new EvaluationWindow(0, [Series("flat", 3, 3, 3), Series("b", 1, 2)], [[3.0, double.NaN], [4.0, 5.0]]);
        var forecasts = new[] { Forecast("flat", [4, 4], [4, 4], [4, 4]), Forecast("b", [2, 2], [2, 2], [2, 2]) };

        var score = MetricsCalculator.Score("d", "x", [window], [forecasts], _ => 1, [MetricNames.Mae, MetricNames.Mase]);

        score.PerSeries[0].Metrics[MetricNames.Mae].Should().Be(1);
        double.IsNaN(score.PerSeries[0].Metrics[MetricNames.Mase]).Should().BeTrue();
        score.Dataset.Metrics[MetricNames.Mase].Should().BeApproximately(2.5, 1e-12, "only the series with a finite scale counts");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(37)]
    [InlineData(256)]
    public void SimdSumsEqualTheDefinitionsWithMissingAndZeroActuals(int horizon)
    {
        var random = new Random(horizon);
        double[] levels = [0.1, 0.25, 0.5, 0.75, 0.9];
        var y = Enumerable.Range(0, horizon).Select(h => h % 7 == 3 ? double.NaN : h % 5 == 1 ? 0 : random.NextDouble() * 10 - 2).ToArray();
        var point = Enumerable.Range(0, horizon).Select(h => h % 11 == 0 ? 0 : random.NextDouble() * 10 - 2).ToArray();
        point[0] = 0;
        if (horizon > 1) y[1] = 0; // 0/0 in sMAPE
        var quantiles = levels.Select(q => point.Select(p => p + 3 * (q - 0.5) + (random.NextDouble() - 0.5)).ToArray()).ToArray();

        var sums = new ErrorSums(levels);
        sums.Add(y, point, quantiles);

        var valid = Enumerable.Range(0, horizon).Where(h => !double.IsNaN(y[h])).ToList();
        double absY = valid.Sum(h => Math.Abs(y[h]));
        sums.Count.Should().Be(valid.Count);
        sums.AbsoluteError.Should().BeApproximately(valid.Sum(h => Math.Abs(y[h] - point[h])), 1e-9);
        sums.SquaredError.Should().BeApproximately(valid.Sum(h => (y[h] - point[h]) * (y[h] - point[h])), 1e-9);
        sums.AbsoluteActual.Should().BeApproximately(absY, 1e-9);
        sums.SymmetricPercentageError.Should().BeApproximately(valid.Sum(h =>
            Math.Abs(y[h]) + Math.Abs(point[h]) == 0 ? 0 : 200 * Math.Abs(y[h] - point[h]) / (Math.Abs(y[h]) + Math.Abs(point[h]))), 1e-9);
        sums.PercentageCount.Should().Be(valid.Count(h => y[h] != 0));
        sums.AbsolutePercentageError.Should().BeApproximately(valid.Where(h => y[h] != 0).Sum(h => 100 * Math.Abs(y[h] - point[h]) / Math.Abs(y[h])), 1e-9);
        for (int q = 0; q < levels.Length; q++)
        {
            double expected = valid.Sum(h => 2 * Math.Abs((y[h] - quantiles[q][h]) * ((y[h] <= quantiles[q][h] ? 1 : 0) - levels[q])));
            sums.QuantileLoss[q].Should().BeApproximately(expected, 1e-9);
        }
        sums.CentralIntervals.Should().Equal((0, 4), (1, 3));
        sums.Inside[0].Should().Be(valid.Count(h => y[h] >= quantiles[0][h] && y[h] <= quantiles[4][h]));
        sums.Inside[1].Should().Be(valid.Count(h => y[h] >= quantiles[1][h] && y[h] <= quantiles[3][h]));
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(100, 24)]
    [InlineData(30, 40)]
    public void SeasonalScaleSkipsMissingPairs(int length, int season)
    {
        var x = Enumerable.Range(0, length).Select(t => t % 13 == 4 ? double.NaN : Math.Sin(t) * 5 + t).ToArray();
        int m = length > season ? season : 1;
        var pairs = Enumerable.Range(m, length - m).Select(t => Math.Abs(x[t] - x[t - m])).Where(double.IsFinite).ToList();
        SeasonalScale.Of(x, season).Should().BeApproximately(pairs.Average(), 1e-12);
    }

    [Fact]
    public void RelativeScoresAreGeometricMeansOfRatios()
    {
        var ratios = RelativeScores.Ratios(new Dictionary<string, double> { ["mase"] = 0.5, ["wql"] = 2 }, new Dictionary<string, double> { ["mase"] = 1, ["wql"] = 1 });
        ratios.Should().BeEquivalentTo(new Dictionary<string, double> { ["mase"] = 0.5, ["wql"] = 2 });
        RelativeScores.GeometricMean([0.5, 2, 4]).Should().BeApproximately(Math.Pow(4, 1.0 / 3), 1e-12);
        RelativeScores.GeometricMean([double.NaN]).Should().Be(double.NaN);
    }

    [Fact]
    public void MedianPointForecastScoresTheHalfQuantile()
    {
        var window = new EvaluationWindow(0, [Series("a", 1, 2)], [[10.0, 20.0]]);
        var forecast = new SeriesForecast("a", [Start, Start.AddDays(1)], [0, 0], [0.1, 0.5, 0.9], [[5, 15], [9, 21], [11, 25]]);

        var mean = MetricsCalculator.Score("d", "x", [window], [[forecast]], _ => 1, [MetricNames.Mae]);
        var median = MetricsCalculator.Score("d", "x", [window], [[forecast]], _ => 1, [MetricNames.Mae, MetricNames.Mase], PointForecast.Median);

        mean.Dataset.Metrics[MetricNames.Mae].Should().Be(15);
        median.Dataset.Metrics[MetricNames.Mae].Should().Be(1);
        median.Dataset.Metrics[MetricNames.Mase].Should().Be(1, "scale |2 - 1| = 1");

        var withoutMedian = forecast with { QuantileLevels = [0.1, 0.9], Quantiles = [[5, 15], [11, 25]] };
        var act = () => MetricsCalculator.Score("d", "x", [window], [[withoutMedian]], _ => 1, [MetricNames.Mae], PointForecast.Median);
        act.Should().Throw<ArgumentException>().WithMessage("*0.5 quantile*evaluation.quantiles*");
    }

    [Fact]
    public void UnknownMetricIsRejectedWithTheKnownNames()
    {
        var window = new EvaluationWindow(0, [Series("a", 1, 2)], [[2.0]]);
        var act = () => MetricsCalculator.Score("d", "x", [window], [[Forecast("a", [1], [1], [1])]], _ => 1, ["mse"]);
        act.Should().Throw<ArgumentException>().WithMessage("*'mse'*mae, rmse*");
    }
}
