namespace Forecast.Statistical.Tests;

public class StatisticalForecastTests
{
    [Fact]
    public void QuantilesAreTheBoundsOfCentralIntervals()
    {
        var forecast = new StatisticalForecast([10, 11], [20, 80], [[9, 10], [5, 6]], [[11, 12], [15, 16]]);

        forecast.Quantile(0.4).Should().Equal(9, 10);   // lower bound of the 20% interval
        forecast.Quantile(0.9).Should().Equal(15, 16);  // upper bound of the 80% interval
        forecast.Quantile(0.5).Should().Equal(10, 11);  // the point forecast
    }

    [Fact]
    public void LevelsForQuantilesAreTheDistinctCentralLevels() =>
        StatisticalForecast.LevelsFor([0.1, 0.2, 0.5, 0.8, 0.9]).Should().Equal(60, 80);

    [Fact]
    public void AQuantileWhoseLevelWasNotComputedIsAnError()
    {
        var forecast = new StatisticalForecast([10], [80], [[5]], [[15]]);

        var act = () => forecast.Quantile(0.7);

        act.Should().Throw<ArgumentException>().WithMessage("*40% interval*");
    }
}
