using System.Text.Json.Nodes;

namespace Forecast.Prophet.Tests.Serialization;

/// <summary>
/// ModelFromJson on damaged model JSON throws only <see cref="ProphetModelJsonException"/>, naming the attribute
/// (the defects fuzzing found: null tables, dates and numbers out of range, duplicate keys, wrong types, parameters
/// that do not fit). Each case edits the Python prophet 1.1 fixture.
/// </summary>
public sealed class ModelJsonBadInputTests
{
    private static readonly string Python = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "serialized", "python_prophet_1_1_linear_weekly.json"));

    private static ProphetModelJsonException Fails(string json)
    {
        var load = () => ProphetSerializer.ModelFromJson(json);
        return load.Should().Throw<ProphetModelJsonException>().Which;
    }

    private static ProphetModelJsonException Fails(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(Python)!.AsObject();
        edit(json);
        return Fails(json.ToJsonString());
    }

    /// <summary>Edits a pandas table that prophet stores as a JSON string inside the model JSON.</summary>
    private static void EditTable(JsonObject json, string key, Action<JsonObject> edit)
    {
        var table = JsonNode.Parse(json[key]!.GetValue<string>())!.AsObject();
        edit(table);
        json[key] = table.ToJsonString();
    }

    [Fact]
    public void The_fixture_itself_loads()
    {
        ProphetSerializer.ModelFromJson(Python).Seasonalities.Select(s => s.Name).Should().Equal("weekly");
    }

    [Fact]
    public void Null_history_data_names_the_table()
    {
        var e = Fails(json => EditTable(json, "history", t => t["data"] = null));
        e.Path.Should().Be("history.data");
        e.Message.Should().Contain("'history.data' is null");
    }

    [Fact]
    public void A_history_date_out_of_range_names_its_row()
    {
        var e = Fails(json => EditTable(json, "history", t => t["data"]![3]!["ds"] = "99999-01-01T00:00:00.000"));
        e.Path.Should().Be("history.data[3].ds");
        e.Message.Should().Contain("expected an ISO date");
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(-1e300)]
    public void A_start_beyond_the_calendar_is_named_not_an_overflow(double seconds)
    {
        var e = Fails(json => json["start"] = seconds);
        e.Path.Should().Be("start");
        e.Message.Should().Contain("outside the years 1 to 9999");
    }

    [Fact]
    public void A_zero_or_huge_t_scale_is_named()
    {
        Fails(json => json["t_scale"] = 0).Path.Should().Be("t_scale");
        Fails(json => json["t_scale"] = 1e300).Path.Should().Be("t_scale");
    }

    [Fact]
    public void A_duplicate_key_is_named_not_an_ArgumentException()
    {
        string duplicated = Python.Replace("\"growth\": \"linear\"", "\"growth\": \"linear\", \"growth\": \"flat\"", StringComparison.Ordinal);
        duplicated.Should().NotBe(Python);
        Fails(duplicated).Message.Should().Contain("is not valid JSON").And.Contain("growth");
    }

    [Theory]
    [InlineData("n_changepoints", "\"25\"", "expected a finite number")]
    [InlineData("n_changepoints", "1e12", "expected a whole number from 0 to 1000000")]
    [InlineData("n_changepoints", "2.5", "expected a whole number")]
    [InlineData("seasonality_mode", "7", "expected a string")]
    [InlineData("seasonality_mode", "\"sideways\"", "expected 'additive' or 'multiplicative'")]
    [InlineData("growth", "\"exponential\"", "expected linear, logistic or flat")]
    [InlineData("y_scale", "null", "is null")]
    [InlineData("y_scale", "-1", "expected a positive number")]
    [InlineData("interval_width", "[0.8]", "expected a finite number")]
    [InlineData("history", "{}", "expected a string")]
    [InlineData("changepoints_t", "{}", "expected a list")]
    [InlineData("params", "[]", "expected an object")]
    [InlineData("seasonalities", "[[\"weekly\"]]", "expected [names, dict]")]
    [InlineData("seasonalities", "[[\"weekly\"], {}]", "is null or missing, expected an object")]
    [InlineData("seasonalities", "[[\"weekly\", \"weekly\"], {\"weekly\": {\"period\": 7, \"fourier_order\": 1, \"prior_scale\": 10, \"mode\": \"additive\"}}]", "lists 'weekly' twice")]
    [InlineData("history", "\"{\\\"schema\\\": 1\"", "is not valid JSON")]
    [InlineData("mcmc_samples", "300", "only MAP models")]
    public void A_wrong_value_names_its_attribute(string key, string value, string message)
    {
        var e = Fails(json => json[key] = JsonNode.Parse(value));
        e.Message.Should().Contain(message);
        (e.Path ?? "").Should().StartWith(key);
    }

    [Fact]
    public void Parameters_that_do_not_fit_the_model_are_named()
    {
        Fails(json => json["params"]!["delta"] = JsonNode.Parse("[[0.1]]")).Path.Should().Be("params.delta");
        Fails(json => json["params"]!["beta"] = JsonNode.Parse("[[0.1, 0.2, 0.3]]")).Path.Should().Be("params.beta");
        Fails(json => json["params"]!["k"] = JsonNode.Parse("[[0.1, 0.2]]")).Path.Should().Be("params.k");
        Fails(json => json["params"]!["m"] = JsonNode.Parse("[[null]]")).Path.Should().Be("params.m[0][0]");
    }

    [Fact]
    public void Deep_nesting_is_not_valid_JSON_rather_than_a_stack_overflow()
    {
        string deep = "{\"growth\": " + new string('[', 100_000) + new string(']', 100_000) + "}";
        Fails(deep).Message.Should().Contain("is not valid JSON");
    }
}
