using Forecast.Core.Models;
using Forecast.Core.Models.Baselines;
using Forecast.Core.Series;
using Forecast.Core.Statistics;
using Forecast.Core.Threading;
using Forecast.Statistical;

namespace Forecast.Core.Tests.Models.Baselines;

public class BaselineForecasterTests
{
    private static readonly DateTime Start = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static TimeSeries Monthly(string id, params double[] values) =>
        new(id, Enumerable.Range(0, values.Length).Select(i => Start.AddMonths(i)).ToArray(), values) { Frequency = Frequency.MonthlyStart };

    [Fact]
    public async Task NaiveRepeatsTheLastValueWithSqrtHWidening()
    {
        var series = Monthly("a", 1, 3, 2, 5); // residuals 2, -1, 3 → σ = sqrt(14/3)
        var forecast = (await new NaiveForecaster().ForecastAsync([series], new ForecastRequest(3, [0.1, 0.5, 0.9])))[0];

        forecast.Mean.Should().Equal(5, 5, 5);
        forecast.Timestamps.Should().Equal(Start.AddMonths(4), Start.AddMonths(5), Start.AddMonths(6));
        double sigma = Math.Sqrt(14.0 / 3), z = StandardNormal.Quantile(0.9);
        forecast.Quantiles[2][0].Should().BeApproximately(5 + z * sigma, 1e-12);
        forecast.Quantiles[2][2].Should().BeApproximately(5 + z * sigma * Math.Sqrt(3), 1e-12);
        forecast.Quantiles[0][1].Should().BeApproximately(5 - z * sigma * Math.Sqrt(2), 1e-12);
        forecast.Quantiles[1].Should().Equal(5, 5, 5);
    }

    [Fact]
    public async Task SeasonalNaiveRepeatsTheLastSeasonAndWidensPerFullSeason()
    {
        var series = Monthly("a", 1, 2, 3, 2, 4, 5); // m = 3: residuals 1, 2, 2 → σ = sqrt(3)
        var forecast = (await new SeasonalNaiveForecaster(3).ForecastAsync([series], new ForecastRequest(5, [0.9])))[0];

        forecast.Mean.Should().Equal(2, 4, 5, 2, 4);
        double s = Math.Sqrt(3) * StandardNormal.Quantile(0.9);
        forecast.Quantiles[0].Select((q, h) => q - forecast.Mean[h]).Should().Equal(
            [s, s, s, s * Math.Sqrt(2), s * Math.Sqrt(2)], (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public async Task SeasonalNaiveTakesTheSeasonFromTheFrequencyAndFallsBackToNaiveWhenShorterThanASeason()
    {
        var yearsOfMonths = Monthly("long", [.. Enumerable.Range(0, 24).Select(i => (double)(i % 12))]);
        var short_ = Monthly("short", 1, 2, 7);
        var forecasts = await new SeasonalNaiveForecaster().ForecastAsync([yearsOfMonths, short_], new ForecastRequest(2, []));

        forecasts[0].Mean.Should().Equal(0, 1); // m = 12 from MS
        forecasts[1].Mean.Should().Equal(7, 7);
    }

    [Fact]
    public async Task MeanUsesStudentTIntervalsAsMeanf()
    {
        var series = Monthly("a", 2, 4, 6, 8); // mean 5, s = sqrt(20/3), n = 4
        var forecast = (await new MeanForecaster().ForecastAsync([series], new ForecastRequest(2, [0.1, 0.9])))[0];

        forecast.Mean.Should().Equal(5, 5);
        double w = StudentT.Quantile(0.9, 3) * Math.Sqrt(20.0 / 3) * Math.Sqrt(1 + 1.0 / 4);
        forecast.Quantiles[1][0].Should().BeApproximately(5 + w, 1e-9);
        forecast.Quantiles[0][1].Should().BeApproximately(5 - w, 1e-9);
    }

    [Fact]
    public async Task EmpiricalIntervalsUseResidualQuantiles()
    {
        var series = Monthly("a", 0, 1, 3, 6, 10); // naive residuals 1, 2, 3, 4
        var forecast = (await new NaiveForecaster(IntervalMethod.Empirical).ForecastAsync([series], new ForecastRequest(2, [0.5])))[0];

        forecast.Quantiles[0][0].Should().BeApproximately(10 + 2.5, 1e-12);
        forecast.Quantiles[0][1].Should().BeApproximately(10 + 2.5 * Math.Sqrt(2), 1e-12, "step 2 widens by σ·sqrt(2) / σ");
    }

    [Fact]
    public async Task ReportsProgressAndHonoursCancellation()
    {
        var batch = Enumerable.Range(0, 250).Select(i => Monthly($"s{i}", 1, 2, 3)).ToList();
        var reports = new List<ForecastProgress>();
        var progress = new SynchronousProgress(reports.Add);
        await new NaiveForecaster().ForecastAsync(batch, new ForecastRequest(1, []), progress);
        reports.Should().NotBeEmpty();
        reports.Select(r => r.Completed).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems("series run in parallel but progress never moves back");
        reports[^1].Should().Be(new ForecastProgress(250, 250, "naive"));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var act = () => new NaiveForecaster().ForecastAsync(batch, new ForecastRequest(1, []), cancellationToken: cancelled.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task RejectsBadRequestsAndSeriesWithoutFrequency()
    {
        var series = Monthly("a", 1, 2);
        await new NaiveForecaster().Invoking(m => m.ForecastAsync([series], new ForecastRequest(0, []))).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await new NaiveForecaster().Invoking(m => m.ForecastAsync([series], new ForecastRequest(1, [0.9, 0.1]))).Should().ThrowAsync<ArgumentException>();
        await new NaiveForecaster().Invoking(m => m.ForecastAsync([series with { Frequency = null }], new ForecastRequest(1, [])))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*'a' has no frequency*");
    }
}
