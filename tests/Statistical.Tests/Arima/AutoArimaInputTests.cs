using Forecast.Statistical.Arima;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>What AutoArima does with awkward input — what R's auto.arima() does, or a named error where R stops.</summary>
public class AutoArimaInputTests
{
    private static double[] Seasonal(int n, int m, double level = 100) =>
        [.. Enumerable.Range(0, n).Select(t => level + 0.5 * t + 10 * Math.Sin(2 * Math.PI * t / m) + 3 * Math.Cos(7.3 * t))];

    [Fact]
    public void ConstantSeriesIsTheMeanModelWithAFlatForecast()
    {
        // auto.arima: is.constant(x) → Arima(x, order = c(0, 0, 0), fixed = mean(x)).
        var fit = new AutoArima().Fit(Enumerable.Repeat(42.0, 30).ToArray(), 12);

        fit.Description.Should().Be("ARIMA(0,0,0) with non-zero mean");
        fit.Forecast(5).Mean.Should().AllSatisfy(v => v.Should().Be(42));
    }

    [Fact]
    public void SeriesShorterThanTwoSeasonsGetsANonSeasonalModel()
    {
        // With fewer than 2m observations R neither differences seasonally nor fits seasonal AR/MA terms.
        var fit = new AutoArima().Fit(Seasonal(20, 12), 12);

        fit.Order.SeasonalP.Should().Be(0);
        fit.Order.SeasonalD.Should().Be(0);
        fit.Order.SeasonalQ.Should().Be(0);
        fit.Forecast(12, [80]).Mean.Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void ZerosAreOrdinaryObservations()
    {
        // ARIMA has no multiplicative form (we offer no Box-Cox λ, whose log R refuses on zeros).
        var y = Seasonal(60, 12, level: 30);
        y[9] = 0;

        var forecast = new AutoArima().Fit(y, 12).Forecast(12, [95]);

        forecast.Mean.Should().OnlyContain(v => double.IsFinite(v));
        forecast.Lower[0].Zip(forecast.Upper[0]).Should().OnlyContain(b => b.First < b.Second);
    }

    [Fact]
    public void GapsAreSkippedByTheKalmanFilterAndLeadingGapsDropped()
    {
        // stats::arima's likelihood skips missing observations; auto.arima drops the leading ones.
        var y = Seasonal(80, 4);
        y[19] = double.NaN;
        var withLeading = new[] { double.NaN, double.NaN }.Concat(y).ToArray();

        var fit = new AutoArima().Fit(y, 4);
        var shifted = new AutoArima().Fit(withLeading, 4);

        fit.Forecast(8).Mean.Should().OnlyContain(v => double.IsFinite(v));
        shifted.Description.Should().Be(fit.Description);
        shifted.Forecast(8).Mean.Should().Equal(fit.Forecast(8).Mean);
    }

    [Fact]
    public void AllMissingIsANamedError()
    {
        var act = () => new AutoArima().Fit([double.NaN, double.NaN, double.NaN], 1);

        act.Should().Throw<UnsuitableSeriesException>().WithMessage("*missing*");
    }

    [Fact]
    public void InfiniteValuesAreANamedError()
    {
        var y = Seasonal(40, 4);
        y[5] = double.PositiveInfinity;

        var act = () => new AutoArima().Fit(y, 4);

        act.Should().Throw<UnsuitableSeriesException>().WithMessage("*infinite*");
    }
}
