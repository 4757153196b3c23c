using Xunit.Abstractions;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>Python prophet 1.1's vectorised interval simulation (spec §12b), against R's bands and the R method.</summary>
public sealed class VectorizedIntervalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("peyton_default")]
    [InlineData("wp_R_logistic")]
    [InlineData("retail_default")]
    [InlineData("air_passengers_multiplicative")]
    public void Vectorized_bands_are_close_to_the_R_method(string name)
    {
        var golden = GoldenCase.Load(name);
        var future = golden.ReadFutureFrame(out var r);
        var model = golden.CreateModel(seed: 3);
        model.Fit(golden.Input);
        model.OverrideParameters(golden.ReadParams());
        model.SetIntervalMethod(IntervalMethod.PythonVectorized);

        var forecast = model.Predict(future);

        var last = forecast.RowCount - 1;
        var ours = forecast["trend_upper"][last] - forecast["trend_lower"][last];
        var rWidth = r["trend_upper"][last] - r["trend_lower"][last];
        var yhatOurs = forecast.YhatUpper![last] - forecast.YhatLower![last];
        var yhatR = r["yhat_upper"][last] - r["yhat_lower"][last];
        output.WriteLine($"{name}: last-row trend band {ours:G4} (R method in R: {rWidth:G4}), yhat band {yhatOurs:G4} (R: {yhatR:G4})");
        // Different simulations of the same rate-change process: measured within 8% of R's bands on these cases.
        (ours / rWidth).Should().BeInRange(0.7, 1.4);
        (yhatOurs / yhatR).Should().BeInRange(0.8, 1.25);
    }

    [Fact]
    public void Vectorized_intervals_are_seeded_and_flat_growth_has_no_trend_uncertainty()
    {
        var golden = GoldenCase.Load("retail_flat");
        ProphetForecast Run(int seed)
        {
            var model = new Prophet(new ProphetOptions { Growth = Growth.Flat, Seed = seed, IntervalMethod = IntervalMethod.PythonVectorized }).Fit(golden.Input);
            return model.Predict(model.MakeFutureDataFrame(24, FutureFrequency.Month));
        }

        var a = Run(1);
        var b = Run(1);

        b.YhatUpper.Should().Equal(a.YhatUpper);
        a["trend_upper"].Should().Equal(a["trend_lower"]);
    }
}
