using Forecast.Prophet.Tests.Golden;

namespace Forecast.Prophet.Tests.Fitting;

/// <summary>
/// The trend-scale curve of <see cref="MultiplicativeScaleSearch"/>: used where the multiplicative columns span a
/// near-constant (a quarterly multiplicative seasonality sampled monthly: its third harmonic is constant), not where
/// they do not; a move along it leaves the mean as it was and only lowers f.
/// </summary>
public sealed class MultiplicativeScaleSearchTests
{
    [Fact]
    public void The_curve_is_found_for_a_quarterly_multiplicative_seasonality_on_monthly_data_only()
    {
        MultiplicativeScaleSearch.TryCreate(new ProphetObjective(GoldenCase.Load("retail_custom_seasonalities").ReadStanData())).Should().NotBeNull();
        MultiplicativeScaleSearch.TryCreate(new ProphetObjective(GoldenCase.Load("air_passengers_multiplicative").ReadStanData())).Should().BeNull();
        MultiplicativeScaleSearch.TryCreate(new ProphetObjective(GoldenCase.Load("retail_default").ReadStanData())).Should().BeNull("there is no multiplicative column");
        MultiplicativeScaleSearch.TryCreate(new ProphetObjective(GoldenCase.Load("wp_R_logistic").ReadStanData())).Should().BeNull("a logistic trend does not scale with its parameters");
    }

    [Fact]
    public void A_move_along_the_curve_lowers_f_from_prophets_init()
    {
        var golden = GoldenCase.Load("retail_custom_seasonalities");
        var model = golden.CreateModel();
        var data = model.Preprocess(golden.Input);
        var objective = new ProphetObjective(data);
        var search = MultiplicativeScaleSearch.TryCreate(objective)!;
        var x = model.InitialParameters(model.PreparedHistory!, data).ToUnconstrained();
        var start = objective.Value(x);

        var moved = search.Improve(x, start, point => objective.Value(point));

        moved.Should().BeLessThan(start);
        objective.Value(x).Should().Be(moved, "the returned f is f at the moved point");
    }
}
