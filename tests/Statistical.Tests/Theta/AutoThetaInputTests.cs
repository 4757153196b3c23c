using Forecast.Statistical.Theta;

namespace Forecast.Statistical.Tests.Theta;

/// <summary>What AutoTheta does with awkward input — what R's thetaf() does, or a named error where R stops.</summary>
public class AutoThetaInputTests
{
    private static double[] Seasonal(int n, int m, double level = 100) =>
        [.. Enumerable.Range(0, n).Select(t => level + 0.5 * t + 10 * Math.Sin(2 * Math.PI * t / m) + 3 * Math.Cos(7.3 * t))];

    [Fact]
    public void ConstantSeriesHasAFlatForecastWithoutSeasonalAdjustment()
    {
        var fit = new AutoTheta().Fit(Enumerable.Repeat(42.0, 30).ToArray(), 12);

        fit.Seasonal.Should().BeFalse("thetaf skips the seasonality test for a constant series");
        fit.Forecast(5).Mean.Should().AllSatisfy(v => v.Should().BeApproximately(42, 1e-9));
    }

    [Fact]
    public void SeriesOfAtMostTwoSeasonsIsNotSeasonallyAdjusted()
    {
        // thetaf tests seasonality only when n > 2m.
        var fit = new AutoTheta().Fit(Seasonal(24, 12), 12);

        fit.Seasonal.Should().BeFalse();
        fit.Forecast(12).Mean.Should().OnlyContain(v => double.IsFinite(v));
        new AutoTheta().Fit(Seasonal(60, 12), 12).Seasonal.Should().BeTrue("the same pattern over five seasons is seasonal");
    }

    [Fact]
    public void ZeroSeasonalIndexFallsBackToTheNonSeasonalMethod()
    {
        // A season position that is always 0 gives a multiplicative index of 0: R warns "Seasonal indexes close to
        // zero. Using non-seasonal Theta method" and so do we, without dividing by it.
        var y = Seasonal(72, 12, level: 50);
        for (int t = 3; t < y.Length; t += 12) y[t] = 0;

        var fit = new AutoTheta().Fit(y, 12);

        fit.Seasonal.Should().BeFalse();
        fit.Forecast(12).Mean.Should().OnlyContain(v => double.IsFinite(v));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void MissingOrInfiniteValuesAreANamedError(double bad)
    {
        // thetaf stops with "missing values in object"; we name the problem and the fix.
        var y = Seasonal(48, 4);
        y[10] = bad;

        var act = () => new AutoTheta().Fit(y, 4);

        act.Should().Throw<UnsuitableSeriesException>().WithMessage("*missing*");
    }

    [Fact]
    public void EmptySeriesIsANamedError()
    {
        var act = () => new AutoTheta().Fit([], 1);

        act.Should().Throw<UnsuitableSeriesException>().WithMessage("*empty*");
    }
}
