using Forecast.Statistical.Mstl;

namespace Forecast.Statistical.Tests.Mstl;

/// <summary>What MSTL says about input it cannot decompose: the argument named, the reason given.</summary>
public class MstlInputTests
{
    private static readonly double[] Series = [.. Enumerable.Range(0, 100).Select(t => 10 + Math.Sin(2 * Math.PI * t / 12) + 0.01 * t)];

    [Fact]
    public void A_series_without_two_full_periods_of_any_season_length_is_refused_saying_so()
    {
        var act = () => Statistical.Mstl.Mstl.Decompose(Series, [60, 168]);

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("two full periods").And.Contain("100 points");
    }

    [Fact]
    public void Fewer_than_one_pass_is_refused()
    {
        var act = () => Statistical.Mstl.Mstl.Decompose(Series, [12], new MstlOptions { Iterations = 0 });

        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("at least one iteration");
    }

    [Fact]
    public void Seasonal_windows_neither_one_nor_one_per_period_are_refused()
    {
        var act = () => Statistical.Mstl.Mstl.Decompose(Series, [4, 12], new MstlOptions { SeasonalWindows = [] });

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("one per period (2)");
    }

    [Fact]
    public void A_missing_value_makes_the_series_unsuitable_for_the_model()
    {
        var withGap = Series.ToArray();
        withGap[40] = double.NaN;

        var act = () => new MstlModel { SeasonLengths = [4, 12] }.Fit(withGap, 12);

        act.Should().Throw<UnsuitableSeriesException>().Which.Message.Should().Contain("missing values");
    }
}
