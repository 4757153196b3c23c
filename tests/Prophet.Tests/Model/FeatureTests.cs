namespace Forecast.Prophet.Tests.Model;

/// <summary>Unit tests of the features against the spec's formulas (§2–§7, §13).</summary>
public sealed class FeatureTests
{
    private static ProphetFrame Daily(int days, DateTime? start = null)
    {
        var first = start ?? new DateTime(2020, 1, 1);
        var ds = Enumerable.Range(0, days).Select(i => first.AddDays(i)).ToArray();
        return new ProphetFrame(ds, Enumerable.Range(0, days).Select(i => 10 + Math.Sin(i / 3.0) + (0.05 * i)).ToArray());
    }

    [Fact]
    public void Fourier_columns_are_sin_cos_of_epoch_days()
    {
        var ds = new DateTime(2017, 3, 4, 6, 0, 0);
        Span<double> columns = stackalloc double[6];

        FourierSeries.Fill(ds, 7, 3, columns);

        var t = (ds - new DateTime(1970, 1, 1)).TotalDays;
        for (var i = 1; i <= 3; i++)
        {
            columns[2 * (i - 1)].Should().BeApproximately(Math.Sin(2 * Math.PI * i * t / 7), 1e-12);
            columns[(2 * (i - 1)) + 1].Should().BeApproximately(Math.Cos(2 * Math.PI * i * t / 7), 1e-12);
        }
    }

    [Fact]
    public void Auto_seasonalities_follow_the_history_span_and_spacing()
    {
        var daily = new Prophet();
        daily.Preprocess(Daily(800));
        daily.Seasonalities.Select(s => s.Name).Should().Equal("yearly", "weekly");

        var shortSpan = new Prophet();
        shortSpan.Preprocess(Daily(100));
        shortSpan.Seasonalities.Select(s => s.Name).Should().Equal("weekly");

        var hourly = new Prophet();
        var hours = Enumerable.Range(0, 24 * 20).Select(i => new DateTime(2020, 1, 1).AddHours(i)).ToArray();
        hourly.Preprocess(new ProphetFrame(hours, hours.Select((_, i) => Math.Sin(i / 4.0)).ToArray()));
        hourly.Seasonalities.Select(s => s.Name).Should().Equal("weekly", "daily");
    }

    [Fact]
    public void User_seasonality_named_yearly_replaces_the_built_in_one()
    {
        var model = new Prophet().AddSeasonality("yearly", 365.25, 4, priorScale: 2);

        model.Preprocess(Daily(800));

        model.Seasonalities.Single(s => s.Name == "yearly").FourierOrder.Should().Be(4);
        model.FeatureNames.Count(n => n.StartsWith("yearly", StringComparison.Ordinal)).Should().Be(8);
    }

    [Fact]
    public void Conditional_seasonality_is_zero_where_the_condition_is_false()
    {
        var df = Daily(60);
        var onSeason = df.Ds.Select(d => d.Month == 1).ToArray();
        df.Add("on_season", onSeason);
        var model = new Prophet(new ProphetOptions { WeeklySeasonality = false }).AddSeasonality("weekly_on", 7, 3, conditionName: "on_season");

        var data = model.Preprocess(df);

        for (var i = 0; i < data.T; i++)
        {
            var row = data.X.AsSpan(i * data.K, data.K);
            if (!onSeason[i])
            {
                row.ToArray().Should().OnlyContain(v => v == 0);
            }
        }
    }

    [Fact]
    public void Regressors_are_standardised_unless_binary()
    {
        var df = Daily(50);
        var price = Enumerable.Range(0, 50).Select(i => 3.0 + (i % 7)).ToArray();
        df.Add("price", price).Add("promo", Enumerable.Range(0, 50).Select(i => (double)(i % 2)).ToArray());
        var model = new Prophet().AddRegressor("price").AddRegressor("promo");

        model.Preprocess(df);

        var mean = price.Average();
        var std = Math.Sqrt(price.Sum(v => (v - mean) * (v - mean)) / (price.Length - 1));
        var fitted = model.ExtraRegressors.ToDictionary(r => r.Name);
        fitted["price"].Mu.Should().BeApproximately(mean, 1e-12);
        fitted["price"].Std.Should().BeApproximately(std, 1e-12);
        fitted["promo"].Mu.Should().Be(0);
        fitted["promo"].Std.Should().Be(1);
    }

    [Fact]
    public void Changepoints_are_spread_over_the_first_80_percent_of_the_history()
    {
        var model = new Prophet();
        var df = Daily(101);

        model.Preprocess(df);

        // hist_size = floor(101 * 0.8) = 80; indices round(linspace(0, 79, 26))[1:]
        var expected = Enumerable.Range(1, 25).Select(i => df.Ds[(int)Math.Round(i * 79 / 25.0, MidpointRounding.ToEven)]);
        model.Changepoints.Should().Equal(expected);
    }

    [Fact]
    public void Short_histories_get_fewer_changepoints()
    {
        var model = new Prophet();

        model.Preprocess(Daily(10));

        model.NChangepoints.Should().Be(7); // floor(10 * 0.8) - 1
    }

    [Fact]
    public void Logistic_growth_with_floor_scales_by_y_minus_floor()
    {
        var df = Daily(60);
        df.Add("cap", 20.0).Add("floor", 5.0);
        var model = new Prophet(new ProphetOptions { Growth = Growth.Logistic });

        var data = model.Preprocess(df);

        model.LogisticFloor.Should().BeTrue();
        model.YScale.Should().BeApproximately(df.Y!.Max(v => Math.Abs(v - 5.0)), 1e-12);
        data.Cap[0].Should().BeApproximately(15.0 / model.YScale, 1e-12);
        data.Y[0].Should().BeApproximately((df.Y![0] - 5.0) / model.YScale, 1e-12);
    }

    [Fact]
    public void Minmax_scaling_subtracts_the_minimum()
    {
        var df = Daily(60);
        var model = new Prophet(new ProphetOptions { Scaling = Scaling.MinMax });

        var data = model.Preprocess(df);

        var min = df.Y!.Min();
        var max = df.Y!.Max();
        model.YMin.Should().Be(min);
        model.YScale.Should().BeApproximately(max - min, 1e-12);
        data.Y.Min().Should().BeApproximately(0, 1e-12);
        data.Y.Max().Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Holiday_windows_give_one_column_per_offset_with_their_prior_scale()
    {
        var holidays = new List<HolidayEvent>
        {
            new("sale", new DateTime(2020, 1, 10), -1, 1, PriorScale: 3),
            new("sale", new DateTime(2020, 2, 10), -1, 1, PriorScale: 3),
        };
        var model = new Prophet(new ProphetOptions { Holidays = holidays, WeeklySeasonality = false });

        var data = model.Preprocess(Daily(60));

        model.FeatureNames.Should().Equal("sale_delim_+0", "sale_delim_+1", "sale_delim_-1");
        data.Sigmas.Should().OnlyContain(s => s == 3);
        var ds = Daily(60).Ds;
        for (var i = 0; i < ds.Length; i++)
        {
            var expectedMinus = ds[i] == new DateTime(2020, 1, 9) || ds[i] == new DateTime(2020, 2, 9) ? 1.0 : 0.0;
            data.X[(i * 3) + 2].Should().Be(expectedMinus);
        }
    }

    [Fact]
    public void Empty_features_use_a_zeros_column()
    {
        var model = new Prophet(new ProphetOptions { WeeklySeasonality = false, YearlySeasonality = false });

        var data = model.Preprocess(Daily(30));

        model.FeatureNames.Should().Equal("zeros");
        data.K.Should().Be(1);
        data.Sigmas.Should().Equal(1.0);
    }

    [Fact]
    public void Future_frames_follow_R_and_pandas_frequencies()
    {
        var model = new Prophet().Fit(Daily(40, new DateTime(2020, 1, 31)));

        model.MakeFutureDataFrame(2, FutureFrequency.Parse("MS"), includeHistory: false).Ds.Should().Equal(new DateTime(2020, 4, 10), new DateTime(2020, 5, 10));
        model.MakeFutureDataFrame(2, FutureFrequency.Parse("M"), includeHistory: false).Ds.Should().Equal(new DateTime(2020, 3, 31), new DateTime(2020, 4, 30));
        model.MakeFutureDataFrame(3, FutureFrequency.Parse("3600"), includeHistory: false).Ds[2].Should().Be(new DateTime(2020, 3, 10, 3, 0, 0));
        model.MakeFutureDataFrame(5).RowCount.Should().Be(45);
    }

    [Fact]
    public void Constant_y_skips_the_optimiser()
    {
        var ds = Enumerable.Range(0, 30).Select(i => new DateTime(2020, 1, 1).AddDays(i)).ToArray();
        var model = new Prophet().Fit(new ProphetFrame(ds, Enumerable.Repeat(4.0, 30).ToArray()));

        model.Optimization.Should().BeNull();
        model.Predict().Yhat.Should().OnlyContain(v => Math.Abs(v - 4.0) < 1e-9);
    }

    [Fact]
    public void Multiplicative_regressor_and_holidays_mode_are_grouped_by_mode()
    {
        var df = Daily(60);
        df.Add("temp", Enumerable.Range(0, 60).Select(i => Math.Cos(i / 9.0)).ToArray());
        var model = new Prophet(new ProphetOptions
        {
            Holidays = [new HolidayEvent("sale", new DateTime(2020, 1, 10))],
            HolidaysMode = SeasonalityMode.Multiplicative,
        }).AddRegressor("temp", mode: SeasonalityMode.Multiplicative);

        var data = model.Preprocess(df);

        model.ComponentModes[SeasonalityMode.Multiplicative].Should().Contain(["sale", "temp", "holidays", "multiplicative_terms", "extra_regressors_multiplicative"]);
        var saleColumn = model.FeatureNames.ToList().IndexOf("sale_delim_+0");
        data.SM[saleColumn].Should().Be(1);
        data.SA[saleColumn].Should().Be(0);
    }
}
