using Forecast.Prophet.Tests.Golden;

namespace Forecast.Prophet.Tests.Plots;

/// <summary>Priority 10: forecast and components plots render as PNG files.</summary>
public sealed class PlotTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Forecast_and_components_plots_are_png_files()
    {
        var golden = GoldenCase.Load("peyton_holidays_regressor");
        var model = golden.CreateModel(seed: 1);
        model.Fit(golden.Input);
        var forecast = model.Predict(golden.ReadFutureFrame(out _));
        var directory = Directory.CreateTempSubdirectory("prophet-plots").FullName;
        try
        {
            var forecastPath = Path.Combine(directory, "forecast.png");
            var componentsPath = Path.Combine(directory, "components.png");

            ProphetPlots.SaveForecastPng(model, forecast, forecastPath);
            ProphetPlots.SaveComponentsPng(model, forecast, componentsPath);

            foreach (var path in new[] { forecastPath, componentsPath })
            {
                var bytes = File.ReadAllBytes(path);
                bytes.Take(8).Should().Equal(PngSignature, $"{path} is a PNG");
                bytes.Length.Should().BeGreaterThan(10_000, "the plot has content");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        ProphetPlots.Components(model, forecast).Should().HaveCount(5); // trend, holidays, yearly, weekly, extra_regressors_additive
    }
}
