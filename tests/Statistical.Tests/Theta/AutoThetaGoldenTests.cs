using Forecast.Statistical.Tests.Golden;
using Forecast.Statistical.Theta;

namespace Forecast.Statistical.Tests.Theta;

/// <summary>AutoTheta (standard variant) against R forecast 8.20's <c>thetaf(y, h)</c> on every golden series.</summary>
public class AutoThetaGoldenTests
{
    public static TheoryData<string> Datasets => new()
    {
        "rdatasets_monthly", "rdatasets_quarterly", "rdatasets_yearly", "forecastpkg_monthly", "forecastpkg_quarterly",
        "exchange_rate", "etth_ot", "m4_weekly", "taylor_halfhourly", "m4_hourly",
    };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void ForecastsAsThetaf(string dataset)
    {
        var results = GoldenComparison.Run(dataset, "theta", () => new AutoTheta());

        results.Should().OnlyContain(r => r.SameForm);
        foreach (var r in results)
        {
            r.MaxMeanDiff.Should().BeLessThan(1e-3, "series {0} point forecasts", r.Id);
            r.MaxBoundDiff.Should().BeLessThan(1e-3, "series {0} interval bounds", r.Id);
        }
        Mase.Mean(results.Select(r => r.MaseOurs)).Should().BeApproximately(Mase.Mean(results.Select(r => r.MaseR)),
            0.01 * Mase.Mean(results.Select(r => r.MaseR)));
    }
}
