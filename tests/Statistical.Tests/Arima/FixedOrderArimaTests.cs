using Forecast.Statistical.Arima;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>
/// <see cref="FixedOrderArima"/> — given orders, parameters estimated — as R forecast's <c>Arima(y, order, seasonal,
/// include.drift)</c>: on the series whose auto.arima search is exact (no CSS approximation), re-estimating the chosen
/// orders reproduces auto.arima's own final fit, and so R's forecasts where R chose the same model.
/// </summary>
public class FixedOrderArimaTests
{
    [Fact]
    public void ReestimatingAutoArimasOrdersReproducesItsFitAndRsForecasts()
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, "rdatasets_quarterly", GoldenComparison.DataFile("rdatasets_quarterly"));
        var golden = RGolden.LoadFits(RGolden.FixturesRoot, "rdatasets_quarterly", "arima");
        int compared = 0;
        foreach (var series in data.Series.Where(s => golden.TryGetValue(s.Id, out var g) && g.Ok))
        {
            var y = series.Context(data.MaxContext);
            if (y.Length > 150) continue; // auto.arima searches with CSS there; its final model is still exact, but keep to the plain case
            var chosen = new AutoArima().Fit(y, data.SeasonLength);
            var refit = FixedOrderArima.Like(chosen).Fit(y, data.SeasonLength);
            double scale = Mase.Scale(series.Train, data.SeasonLength);

            refit.Description.Should().Be(chosen.Description);
            var ours = refit.Forecast(data.Horizon, [80, 95]);
            var auto = chosen.Forecast(data.Horizon, [80, 95]);
            for (int t = 0; t < data.Horizon; t++)
            {
                ours.Mean[t].Should().BeApproximately(auto.Mean[t], 1e-9 * scale, "series {0} step {1}", series.Id, t);
                ours.Upper[1][t].Should().BeApproximately(auto.Upper[1][t], 1e-9 * scale, "series {0} step {1}", series.Id, t);
            }
            if (golden[series.Id].Form == refit.Description)
                for (int t = 0; t < data.Horizon; t++)
                    ours.Mean[t].Should().BeApproximately(golden[series.Id].Mean[t], 1e-3 * scale, "series {0} step {1} against R", series.Id, t);
            compared++;
        }
        compared.Should().BeGreaterThan(data.Series.Count / 2);
    }

    [Fact]
    public void SeasonalOrdersOfAnotherPeriodAndTooShortSeriesAreNamedErrors()
    {
        double[] y = [.. Enumerable.Range(0, 40).Select(t => 10 + Math.Sin(t) + 0.1 * t)];
        var seasonal = new FixedOrderArima(new ArimaOrder(0, 1, 1, 0, 1, 1, 12));
        FluentActions.Invoking(() => seasonal.Fit(y, 4)).Should().Throw<ArgumentException>().WithMessage("*period 12*");
        FluentActions.Invoking(() => new FixedOrderArima(new ArimaOrder(3, 0, 3)).Fit(y[..6], 1)).Should().Throw<ModelFitException>();
    }
}
