using Forecast.Core.Statistics;
using Forecast.Statistical;

namespace Forecast.Core.Tests.Statistics;

public class DistributionTests
{
    // Reference values: R's qnorm(p) and qt(p, df) (qt(0.9, 1) = tan(0.4π); others from t tables, checked by quadrature).
    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.9, 1.2815515655446004)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.1, -1.2815515655446004)]
    [InlineData(1e-10, -6.361340902404056)]
    public void StandardNormalQuantileMatchesR(double p, double expected) =>
        StandardNormal.Quantile(p).Should().BeApproximately(expected, 1e-12);

    [Theory]
    [InlineData(0.9, 1, 3.077683537175253)]
    [InlineData(0.9, 10, 1.372183641110336)]
    [InlineData(0.975, 5, 2.570581835636314)]
    [InlineData(0.6, 143, 0.25381896523877)]
    [InlineData(0.1, 3, -1.637744353696210)]
    public void StudentTQuantileMatchesR(double p, double df, double expected) =>
        StudentT.Quantile(p, df).Should().BeApproximately(expected, 1e-9 * Math.Max(1, Math.Abs(expected)));

    [Fact]
    public void SampleQuantileIsRType7()
    {
        double[] sorted = [1, 2, 3, 4, 10];
        SampleQuantile.OfSorted(sorted, 0.1).Should().BeApproximately(1.4, 1e-12); // quantile(c(1,2,3,4,10), 0.1)
        SampleQuantile.OfSorted(sorted, 0.9).Should().BeApproximately(7.6, 1e-12);
        SampleQuantile.OfSorted(sorted, 1).Should().Be(10);
    }
}
