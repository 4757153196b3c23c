using System.Text.Json.Nodes;
using Forecast.Prophet.Tests.Golden;

namespace Forecast.Prophet.Tests.Serialization;

/// <summary>Priority 8: prophet 1.1's model_to_json / model_from_json format.</summary>
public sealed class SerializationTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "serialized", name);

    [Theory]
    [InlineData("peyton_holidays_regressor")]
    [InlineData("wp_R_logistic")]
    [InlineData("air_passengers_multiplicative")]
    [InlineData("retail_no_changepoints")]
    public void A_saved_model_predicts_exactly_as_the_original(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel(seed: 5);
        model.Fit(golden.Input);
        var future = golden.ReadFutureFrame(out _);

        var loaded = ProphetSerializer.ModelFromJson(ProphetSerializer.ModelToJson(model));

        var expected = model.Predict(future);
        var actual = loaded.Predict(future);
        foreach (var column in new[] { "trend", "yhat", "additive_terms", "multiplicative_terms" })
        {
            // Holiday columns are saved in Python's code-point order, so sums may be taken in another order.
            for (var i = 0; i < expected.RowCount; i++)
            {
                actual[column][i].Should().BeApproximately(expected[column][i], 1e-12 * Math.Max(1, Math.Abs(expected[column][i])), $"column {column} row {i}");
            }
        }

        loaded.FeatureNames.Should().BeEquivalentTo(model.FeatureNames);
        loaded.TrainHolidayNames.Should().Equal(model.TrainHolidayNames);
    }

    [Fact]
    public void The_json_has_prophets_attributes_and_pandas_encodings()
    {
        var golden = GoldenCase.Load("peyton_holidays_regressor");
        var model = golden.CreateModel();
        model.Fit(golden.Input);

        var json = JsonNode.Parse(ProphetSerializer.ModelToJson(model))!.AsObject();

        string[] attributes =
        [
            "growth", "n_changepoints", "specified_changepoints", "changepoint_range", "yearly_seasonality", "weekly_seasonality",
            "daily_seasonality", "seasonality_mode", "seasonality_prior_scale", "changepoint_prior_scale", "holidays_prior_scale",
            "mcmc_samples", "interval_width", "uncertainty_samples", "y_scale", "y_min", "scaling", "logistic_floor",
            "country_holidays", "component_modes", "holidays_mode", "changepoints", "history_dates", "train_holiday_names", "start",
            "t_scale", "holidays", "history", "train_component_cols", "changepoints_t", "seasonalities", "extra_regressors",
            "fit_kwargs", "params", "__prophet_version",
        ];
        json.Select(p => p.Key).Should().BeEquivalentTo(attributes);
        json["start"]!.GetValue<double>().Should().Be(1197244800); // 2007-12-10 as POSIX seconds
        json["t_scale"]!.GetValue<double>().Should().Be(256003200);
        var changepoints = JsonNode.Parse(json["changepoints"]!.GetValue<string>())!;
        changepoints["name"]!.GetValue<string>().Should().Be("ds");
        changepoints["data"]![0]!.GetValue<string>().Should().Be("2008-03-17T00:00:00.000");
        var history = JsonNode.Parse(json["history"]!.GetValue<string>())!;
        history["schema"]!["fields"]![0]!["type"]!.GetValue<string>().Should().Be("datetime");
        history["data"]!.AsArray().Count.Should().Be(2905);
        json["params"]!["k"]!.AsArray()[0]!.AsArray().Count.Should().Be(1);
        json["params"]!["beta"]!.AsArray()[0]!.AsArray().Count.Should().Be(45);
        json["seasonalities"]![0]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("yearly", "weekly");
    }

    [Fact]
    public void A_file_written_in_python_prophets_format_loads_and_predicts_by_the_formulas()
    {
        var model = ProphetSerializer.ModelFromJson(File.ReadAllText(Fixture("python_prophet_1_1_linear_weekly.json")));
        var future = model.MakeFutureDataFrame(3);

        var forecast = model.Predict(future);

        forecast.RowCount.Should().Be(17);
        var start = new DateTime(2020, 1, 1);
        double[] changepointsT = [5 / 13.0, 10 / 13.0];
        double[] deltas = [0.1, -0.2];
        for (var i = 0; i < forecast.RowCount; i++)
        {
            var t = (forecast.Ds[i] - start).TotalDays / 13.0;
            var trend = (0.3 * t) + 0.5;
            for (var j = 0; j < 2; j++)
            {
                if (t >= changepointsT[j])
                {
                    trend += deltas[j] * (t - changepointsT[j]);
                }
            }

            var days = (forecast.Ds[i] - new DateTime(1970, 1, 1)).TotalDays;
            var weekly = (0.02 * Math.Sin(2 * Math.PI * days / 7)) + (-0.01 * Math.Cos(2 * Math.PI * days / 7));
            forecast.Trend[i].Should().BeApproximately(trend * model.YScale, 1e-9);
            forecast["weekly"][i].Should().BeApproximately(weekly * model.YScale, 1e-9);
            forecast.Yhat[i].Should().BeApproximately((trend + weekly) * model.YScale, 1e-9);
        }
    }

    [Fact]
    public void An_unfitted_model_cannot_be_saved()
    {
        var act = () => ProphetSerializer.ModelToJson(new Prophet());

        act.Should().Throw<InvalidOperationException>().WithMessage("This can only be used to serialize models that have already been fit*");
    }
}
