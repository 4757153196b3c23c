using Forecast.Prophet.Tests.Golden;

namespace Forecast.Prophet.Tests.Diagnostics;

/// <summary>Priority 9: cross-validation and performance metrics (prophet's test_diagnostics.py expectations).</summary>
public sealed class DiagnosticsTests
{
    [Fact]
    public void Rolling_mean_by_horizon_matches_prophets_tests()
    {
        var x = Enumerable.Range(0, 10).Select(v => (double)v).ToArray();
        var h = x.ToArray();

        Forecast.Prophet.Diagnostics.RollingMeanByH(x, h, 1).Value.Should().Equal(x);
        var four = Forecast.Prophet.Diagnostics.RollingMeanByH(x, h, 4);
        four.Horizon.Should().Equal(3, 4, 5, 6, 7, 8, 9);
        four.Value.Should().Equal(x[3..].Select(v => v - 1.5));

        double[] grouped = [1, 2, 3, 4, 4, 4, 4, 4, 7, 7];
        var three = Forecast.Prophet.Diagnostics.RollingMeanByH(x, grouped, 3);
        three.Horizon.Should().Equal(3, 4, 7);
        three.Value[0].Should().BeApproximately(1, 1e-12);
        three.Value[1].Should().BeApproximately(5, 1e-12);
        three.Value[2].Should().BeApproximately(22.0 / 3, 1e-12);
        var ten = Forecast.Prophet.Diagnostics.RollingMeanByH(x, grouped, 10);
        ten.Horizon.Should().Equal(7);
        ten.Value.Should().Equal(4.5);
    }

    [Fact]
    public void Rolling_median_by_horizon_matches_prophets_tests()
    {
        var x = Enumerable.Range(0, 10).Select(v => (double)v).ToArray();

        Forecast.Prophet.Diagnostics.RollingMedianByH(x, x, 1).Value.Should().Equal(x);
        var four = Forecast.Prophet.Diagnostics.RollingMedianByH(x, x, 4);
        four.Horizon.Should().Equal(3, 4, 5, 6, 7, 8, 9);
        four.Value.Should().Equal(x[3..].Select(v => v - 1.5));

        double[] grouped = [1, 2, 3, 4, 4, 4, 4, 4, 7, 7];
        var three = Forecast.Prophet.Diagnostics.RollingMedianByH(x, grouped, 3);
        three.Horizon.Should().Equal(3, 4, 7);
        three.Value.Should().Equal(1, 5, 8);
        var ten = Forecast.Prophet.Diagnostics.RollingMedianByH(x, grouped, 10);
        ten.Horizon.Should().Equal(7);
        ten.Value.Should().Equal(4.5);
    }

    [Fact]
    public void Cutoffs_step_back_by_period_from_the_end()
    {
        var ds = Enumerable.Range(0, 100).Select(i => new DateTime(2020, 1, 1).AddDays(i)).ToArray();

        var cutoffs = Forecast.Prophet.Diagnostics.GenerateCutoffs(ds, TimeSpan.FromDays(10), TimeSpan.FromDays(50), TimeSpan.FromDays(15));

        // max = 2020-04-09; cutoffs 2020-03-30, 03-15, 02-29 (each leaves >= 50 days of history).
        cutoffs.Should().Equal(new DateTime(2020, 2, 29), new DateTime(2020, 3, 15), new DateTime(2020, 3, 30));
    }

    [Fact]
    public void Cutoffs_skip_gaps_in_the_data()
    {
        var ds = Enumerable.Range(0, 40).Select(i => new DateTime(2020, 1, 1).AddDays(i))
            .Concat(Enumerable.Range(0, 40).Select(i => new DateTime(2020, 6, 1).AddDays(i))).ToArray();

        var cutoffs = Forecast.Prophet.Diagnostics.GenerateCutoffs(ds, TimeSpan.FromDays(10), TimeSpan.FromDays(20), TimeSpan.FromDays(10));

        foreach (var cutoff in cutoffs)
        {
            ds.Any(d => d > cutoff && d <= cutoff + TimeSpan.FromDays(10)).Should().BeTrue($"cutoff {cutoff:yyyy-MM-dd} has data after it");
        }
    }

    [Fact]
    public void Cross_validation_refits_on_each_cutoff_and_predicts_the_horizon()
    {
        var golden = GoldenCase.Load("retail_default");
        var model = new Prophet(new ProphetOptions { UncertaintySamples = 100, Seed = 1 }).Fit(golden.Input);
        var horizon = TimeSpan.FromDays(365);
        var finished = new List<int>();

        var cv = Forecast.Prophet.Diagnostics.CrossValidation(model, horizon, period: TimeSpan.FromDays(365), initial: TimeSpan.FromDays(365 * 20),
            progress: new Progress<int>(finished.Add));

        var cutoffs = cv.Cutoff.Distinct().ToList();
        cutoffs.Should().HaveCountGreaterThan(1);
        cv.Ds.Zip(cv.Cutoff).Should().OnlyContain(p => p.First > p.Second && p.First <= p.Second + horizon);
        // The first cutoff's predictions equal a fresh fit on the history up to that cutoff.
        var first = cutoffs[0];
        var manual = new Prophet(new ProphetOptions { UncertaintySamples = 0, YearlySeasonality = true })
            .Fit(golden.Input.Where(i => golden.Input.Ds[i] <= first));
        var rows = Enumerable.Range(0, cv.RowCount).Where(i => cv.Cutoff[i] == first).ToArray();
        var expected = manual.Predict(new ProphetFrame(rows.Select(i => cv.Ds[i]).ToArray()));
        for (var j = 0; j < rows.Length; j++)
        {
            cv.Yhat[rows[j]].Should().BeApproximately(expected.Yhat[j], 1e-6 * Math.Abs(expected.Yhat[j]));
            cv.Y[rows[j]].Should().Be(golden.Input.Y![Array.IndexOf(golden.Input.Ds, cv.Ds[rows[j]])]);
        }

        var metrics = Forecast.Prophet.Diagnostics.PerformanceMetrics(cv);
        metrics.Metrics.Keys.Should().BeEquivalentTo(["mse", "rmse", "mae", "mape", "mdape", "smape", "coverage"]);
        metrics["rmse"].Zip(metrics["mse"]).Should().OnlyContain(p => Math.Abs(p.First - Math.Sqrt(p.Second)) < 1e-9);
        metrics["coverage"].Should().OnlyContain(v => v >= 0 && v <= 1);
    }

    [Fact]
    public void Cross_validation_is_the_same_in_parallel_and_sequentially()
    {
        var golden = GoldenCase.Load("retail_default");
        var model = new Prophet(new ProphetOptions { UncertaintySamples = 50, Seed = 9 }).Fit(golden.Input);

        var parallel = Forecast.Prophet.Diagnostics.CrossValidation(model, TimeSpan.FromDays(730), initial: TimeSpan.FromDays(365 * 18));
        var sequential = Forecast.Prophet.Diagnostics.CrossValidation(model, TimeSpan.FromDays(730), initial: TimeSpan.FromDays(365 * 18), maxDegreeOfParallelism: 1);

        parallel.Yhat.Should().Equal(sequential.Yhat);
        parallel.YhatUpper.Should().Equal(sequential.YhatUpper);
    }

    [Fact]
    public void Performance_metrics_with_monthly_horizons_and_per_point_values()
    {
        var cutoff = new DateTime(2020, 1, 1);
        var ds = new[] { new DateTime(2020, 2, 1), new DateTime(2020, 3, 1), new DateTime(2020, 3, 1) };
        var cv = new CrossValidationResult(ds, [1, 2, 4], null, null, [2, 2, 2], [cutoff, cutoff, cutoff]);

        var monthly = Forecast.Prophet.Diagnostics.PerformanceMetrics(cv, ["mae"], rollingWindow: 0, monthly: true);
        var pointwise = Forecast.Prophet.Diagnostics.PerformanceMetrics(cv, ["mae"], rollingWindow: -1);

        monthly.HorizonMonths.Should().Equal(1, 2);
        monthly["mae"].Should().Equal(1, 1); // w = 1: each horizon group counted in proportion (rolling_mean_by_h): 2/2 per point
        pointwise["mae"].Should().Equal(1, 0, 2);
    }
}
