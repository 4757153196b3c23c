namespace Forecast.Prophet.Tests.Model;

/// <summary>Priority 7: each bad input of issue 3 gives a named error (messages modelled on prophet's).</summary>
public sealed class BadInputTests
{
    private static ProphetFrame Daily(int days, Func<int, double>? y = null)
    {
        var start = new DateTime(2020, 1, 1);
        var ds = Enumerable.Range(0, days).Select(i => start.AddDays(i)).ToArray();
        return new ProphetFrame(ds, Enumerable.Range(0, days).Select(i => y?.Invoke(i) ?? Math.Sin(i / 5.0) + (i * 0.01)).ToArray());
    }

    [Fact]
    public void Fewer_than_two_non_NaN_rows()
    {
        var df = Daily(10, i => i == 3 ? 1.0 : double.NaN);

        var act = () => new Prophet().Fit(df);

        act.Should().Throw<ArgumentException>().WithMessage("Dataframe has less than 2 non-NaN rows*");
    }

    [Fact]
    public void Logistic_growth_without_cap()
    {
        var act = () => new Prophet(new ProphetOptions { Growth = Growth.Logistic }).Fit(Daily(30));

        act.Should().Throw<ArgumentException>().WithMessage("Capacities must be supplied for logistic growth in column \"cap\"*");
    }

    [Fact]
    public void Cap_not_above_floor()
    {
        var df = Daily(30).Add("cap", 5.0).Add("floor", 5.0);

        var act = () => new Prophet(new ProphetOptions { Growth = Growth.Logistic }).Fit(df);

        act.Should().Throw<ArgumentException>().WithMessage("Capacity must be greater than floor*cap 5*floor 5*");
    }

    [Fact]
    public void NaN_regressor_values_in_future_rows()
    {
        var df = Daily(40).Add("promo", Enumerable.Range(0, 40).Select(i => (double)(i % 3)).ToArray());
        var model = new Prophet().AddRegressor("promo").Fit(df);
        var future = model.MakeFutureDataFrame(5);
        future.Add("promo", Enumerable.Range(0, future.RowCount).Select(i => i < 42 ? 1.0 : double.NaN).ToArray());

        var act = () => model.Predict(future);

        act.Should().Throw<ArgumentException>().WithMessage("Found NaN in column 'promo'*future rows*");
    }

    [Fact]
    public void A_future_frame_missing_a_regressor()
    {
        var df = Daily(40).Add("promo", Enumerable.Range(0, 40).Select(i => (double)(i % 3)).ToArray());
        var model = new Prophet().AddRegressor("promo").Fit(df);

        var act = () => model.Predict(model.MakeFutureDataFrame(5));

        act.Should().Throw<ArgumentException>().WithMessage("Regressor 'promo' missing from dataframe*");
    }

    [Fact]
    public void Duplicate_seasonality_name()
    {
        var model = new Prophet().AddSeasonality("monthly", 30.5, 5);

        var act = () => model.AddSeasonality("monthly", 30.5, 3);

        act.Should().Throw<ArgumentException>().WithMessage("Name 'monthly' already used for a seasonality*");
    }

    [Fact]
    public void Duplicate_regressor_name()
    {
        var model = new Prophet().AddRegressor("promo");

        var act = () => model.AddRegressor("promo");

        act.Should().Throw<ArgumentException>().WithMessage("Name 'promo' already used for an added regressor*");
    }

    [Fact]
    public void Regressor_named_like_a_seasonality()
    {
        var model = new Prophet().AddSeasonality("monthly", 30.5, 5);

        var act = () => model.AddRegressor("monthly");

        act.Should().Throw<ArgumentException>().WithMessage("Name 'monthly' already used for a seasonality*");
    }

    [Fact]
    public void Reserved_and_delimited_names()
    {
        var reserved = () => new Prophet().AddRegressor("trend");
        var delimited = () => new Prophet().AddSeasonality("a_delim_b", 3, 1);

        reserved.Should().Throw<ArgumentException>().WithMessage("Name 'trend' is reserved*");
        delimited.Should().Throw<ArgumentException>().WithMessage("*cannot contain \"_delim_\"*");
    }

    [Fact]
    public void Conditional_seasonality_without_its_column()
    {
        var model = new Prophet().AddSeasonality("weekly_on_season", 7, 3, conditionName: "on_season");

        var act = () => model.Fit(Daily(60));

        act.Should().Throw<ArgumentException>().WithMessage("Condition 'on_season' missing from dataframe*");
    }

    [Fact]
    public void Holiday_windows_that_make_no_sense()
    {
        var positiveLower = () => new Prophet(new ProphetOptions { Holidays = [new HolidayEvent("sale", new DateTime(2020, 1, 5), LowerWindow: 1)] });
        var negativeUpper = () => new Prophet(new ProphetOptions { Holidays = [new HolidayEvent("sale", new DateTime(2020, 1, 5), UpperWindow: -2)] });

        positiveLower.Should().Throw<ArgumentException>().WithMessage("*'sale'*lower_window is 1*should be <= 0*");
        negativeUpper.Should().Throw<ArgumentException>().WithMessage("*'sale'*upper_window is -2*should be >= 0*");
    }

    [Fact]
    public void Infinite_y()
    {
        var act = () => new Prophet().Fit(Daily(20, i => i == 4 ? double.PositiveInfinity : i));

        act.Should().Throw<ArgumentException>().WithMessage("Found infinity in column y*");
    }

    [Fact]
    public void Fitting_twice()
    {
        var model = new Prophet().Fit(Daily(30));

        var act = () => model.Fit(Daily(30));

        act.Should().Throw<InvalidOperationException>().WithMessage("Prophet object can only be fit once*");
    }

    [Fact]
    public void Changepoints_outside_the_history()
    {
        var act = () => new Prophet(new ProphetOptions { Changepoints = [new DateTime(2030, 1, 1)] }).Fit(Daily(30));

        act.Should().Throw<ArgumentException>().WithMessage("Changepoints must fall within training data*");
    }

    [Fact]
    public void Unknown_country()
    {
        var act = () => new Prophet().AddCountryHolidays("XX");

        act.Should().Throw<ArgumentException>().WithMessage("Holidays in 'XX' are not supported*US*");
    }

    [Fact]
    public void Csv_with_a_bad_number_names_file_line_and_field()
    {
        var csv = "ds,y\n2020-01-01,1\n2020-01-02,abc\n";

        var act = () => ProphetFrame.ReadCsv(new StringReader(csv), "sales.csv");

        act.Should().Throw<FormatException>().WithMessage("sales.csv, line 3, field 'y': 'abc' is not a number*");
    }

    [Fact]
    public void Predict_before_fit()
    {
        var act = () => new Prophet().Predict();

        act.Should().Throw<InvalidOperationException>().WithMessage("Model has not been fit*");
    }

    [Fact]
    public void A_failed_fit_leaves_nothing_behind_and_the_model_can_be_fitted_again()
    {
        var df = Daily(800);
        var model = new Prophet().AddSeasonality("weekly_on", 7, 3, conditionName: "on_season");

        var failed = () => model.Fit(df);
        failed.Should().Throw<ArgumentException>().WithMessage("Condition 'on_season' missing from dataframe*");

        model.IsFitted.Should().BeFalse();
        model.Seasonalities.Select(s => s.Name).Should().Equal("weekly_on");
        df.Add("on_season", df.Ds.Select(d => d.Month < 6).ToArray());
        var refit = model.Fit(df).Predict();
        var fresh = new Prophet().AddSeasonality("weekly_on", 7, 3, conditionName: "on_season").Fit(df).Predict();
        refit.Yhat.Should().Equal(fresh.Yhat);
    }

    [Fact]
    public void A_cancelled_fit_throws_and_leaves_the_model_unfitted()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var model = new Prophet();

        var act = () => model.Fit(Daily(200), cancellationToken: cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
        model.IsFitted.Should().BeFalse();
        model.Fit(Daily(200)).IsFitted.Should().BeTrue();
    }
}
