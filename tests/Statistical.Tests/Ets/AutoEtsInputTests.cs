using Forecast.Statistical.Ets;

namespace Forecast.Statistical.Tests.Ets;

/// <summary>What AutoEts does with awkward input — the same as R's ets(), or a named error where R stops.</summary>
public class AutoEtsInputTests
{
    private static double[] Seasonal(int n, int m, double level = 100) =>
        [.. Enumerable.Range(0, n).Select(t => level + 0.5 * t + 10 * Math.Sin(2 * Math.PI * t / m) + 3 * Math.Cos(7.3 * t))];

    [Fact]
    public void ConstantSeriesIsSimpleSmoothingWithAFlatForecast()
    {
        var fit = new AutoEts().Fit(Enumerable.Repeat(42.0, 30).ToArray(), 12);

        fit.Description.Should().Be("ETS(A,N,N)");
        fit.Parameters.Alpha.Should().Be(0.99999);
        var forecast = fit.Forecast(5, [80]);
        forecast.Mean.Should().AllSatisfy(v => v.Should().Be(42));
        forecast.Lower[0].Should().Equal(forecast.Upper[0]);
    }

    [Fact]
    public void MultiplicativeErrorsOnDataWithZerosAreANamedError()
    {
        var y = Seasonal(48, 12, level: 5);
        y[10] = 0;

        var act = () => new AutoEts { Model = "MNN" }.Fit(y, 12);

        act.Should().Throw<UnsuitableSeriesException>().WithMessage("*strictly positive*");
    }

    [Fact]
    public void AutomaticSearchOnDataWithZerosKeepsToAdditiveErrors()
    {
        var y = Seasonal(60, 12, level: 5);
        y[10] = 0;

        new AutoEts().Fit(y, 12).Form.Error.Should().Be(EtsComponent.Additive);
    }

    [Fact]
    public void MissingValuesLeaveTheLongestStretchWithoutGaps()
    {
        var y = Seasonal(80, 4);
        y[20] = double.NaN;

        var fit = new AutoEts().Fit(y, 4);

        fit.Observations.Should().Equal(y[21..]);
        fit.Description.Should().Be(new AutoEts().Fit(y[21..], 4).Description);
    }

    [Fact]
    public void AllMissingIsANamedError()
    {
        var act = () => new AutoEts().Fit([double.NaN, double.NaN, double.NaN], 1);

        act.Should().Throw<UnsuitableSeriesException>().WithMessage("*missing*");
    }

    [Fact]
    public void SeriesShorterThanThreeSeasonsStartsFromAFourierRegression()
    {
        // R's initstate fits y ~ trend + sin + cos when n < 3m; the seasonal forms stay available.
        var fit = new AutoEts { Model = "AAA", Damped = false }.Fit(Seasonal(30, 12), 12);

        fit.Form.Season.Should().Be(EtsComponent.Additive);
        fit.Forecast(12).Mean.Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void SeasonLengthsAbove24AreIgnoredUnlessASeasonIsDemanded()
    {
        new AutoEts().Fit(Seasonal(200, 48), 48).Form.Season.Should().Be(EtsComponent.None);
        var act = () => new AutoEts { Model = "AAA" }.Fit(Seasonal(200, 48), 48);
        act.Should().Throw<UnsuitableSeriesException>().WithMessage("*24*");
    }
}
