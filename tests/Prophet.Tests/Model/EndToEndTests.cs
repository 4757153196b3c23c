namespace Forecast.Prophet.Tests.Model;

/// <summary>Fit + predict of the model variants without a golden case of their own.</summary>
public sealed class EndToEndTests
{
    private static ProphetFrame Daily(int days, Func<int, double> y)
    {
        var ds = Enumerable.Range(0, days).Select(i => new DateTime(2019, 1, 1).AddDays(i)).ToArray();
        return new ProphetFrame(ds, Enumerable.Range(0, days).Select(y).ToArray());
    }

    [Fact]
    public void Logistic_growth_with_floor_stays_between_floor_and_cap()
    {
        var df = Daily(400, i => 2 + (8 / (1 + Math.Exp(-(i - 200) / 40.0))) + (0.2 * Math.Sin(i * 2 * Math.PI / 7)));
        df.Add("cap", 11.0).Add("floor", 1.5);
        var model = new Prophet(new ProphetOptions { Growth = Growth.Logistic, Seed = 1 }).Fit(df);
        var future = model.MakeFutureDataFrame(200);
        future.Add("cap", 11.0).Add("floor", 1.5);

        var forecast = model.Predict(future);

        forecast.HasColumn("floor").Should().BeTrue();
        forecast.Trend.Should().OnlyContain(v => v > 1.5 && v < 11.0);
        forecast["trend_upper"].Should().OnlyContain(v => v <= 11.0 + 1e-9);
        var rmse = Math.Sqrt(Enumerable.Range(0, 400).Average(i => Math.Pow(forecast.Yhat[i] - df.Y![i], 2)));
        rmse.Should().BeLessThan(0.1);
    }

    [Fact]
    public void Conditional_seasonality_needs_and_uses_its_condition_in_the_future()
    {
        // A weekly pattern only in summer months.
        var df = Daily(730, i =>
        {
            var d = new DateTime(2019, 1, 1).AddDays(i);
            var summer = d.Month is >= 6 and <= 8;
            return 10 + (summer ? 2 * Math.Sin(2 * Math.PI * i / 7) : 0);
        });
        df.Add("summer", df.Ds.Select(d => d.Month is >= 6 and <= 8).ToArray());
        var model = new Prophet(new ProphetOptions { WeeklySeasonality = false, UncertaintySamples = 0 })
            .AddSeasonality("weekly_summer", 7, 3, conditionName: "summer")
            .Fit(df);
        var future = model.MakeFutureDataFrame(60);

        var missing = () => model.Predict(future);
        missing.Should().Throw<ArgumentException>().WithMessage("Condition 'summer' missing from dataframe*");
        future.Add("summer", future.Ds.Select(d => d.Month is >= 6 and <= 8).ToArray());
        var forecast = model.Predict(future);

        for (var i = 0; i < forecast.RowCount; i++)
        {
            if (forecast.Ds[i].Month is < 6 or > 8)
            {
                forecast["weekly_summer"][i].Should().Be(0);
            }
        }

        forecast["weekly_summer"].Max().Should().BeGreaterThan(1.5);
    }

    [Fact]
    public void Flat_growth_has_a_constant_trend()
    {
        var df = Daily(200, i => 5 + Math.Sin(2 * Math.PI * i / 7));
        var model = new Prophet(new ProphetOptions { Growth = Growth.Flat, UncertaintySamples = 100, Seed = 2 }).Fit(df);

        var forecast = model.Predict(model.MakeFutureDataFrame(30));

        forecast.Trend.Distinct().Should().HaveCount(1);
        forecast["trend_lower"].Should().Equal(forecast["trend_upper"]);
    }

    [Fact]
    public void Missing_y_rows_are_dropped_for_fitting_but_kept_in_the_future_frame()
    {
        var df = Daily(100, i => i % 10 == 0 ? double.NaN : i * 0.1);
        var model = new Prophet(new ProphetOptions { UncertaintySamples = 0 }).Fit(df);

        model.History!.RowCount.Should().Be(90);
        model.MakeFutureDataFrame(5).RowCount.Should().Be(105);
    }

    [Fact]
    public void Unsorted_input_is_sorted_by_ds()
    {
        var df = Daily(60, i => i);
        var shuffled = df.Select(Enumerable.Range(0, 60).Reverse().ToArray());

        var a = new Prophet(new ProphetOptions { UncertaintySamples = 0 }).Fit(df).Predict();
        var b = new Prophet(new ProphetOptions { UncertaintySamples = 0 }).Fit(shuffled).Predict();

        b.Yhat.Should().Equal(a.Yhat);
    }
}
