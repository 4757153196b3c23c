using Forecast.Prophet.Rstan;

namespace Forecast.Prophet.Tests.Rstan;

/// <summary>R's mean() in long double (R prophet's flat-growth init) and the x87 arithmetic under it.</summary>
public sealed class RMeanTests
{
    /// <summary>Values R 4.2.2 printed with sprintf("%.17g", mean(x)) on this machine.</summary>
    [Fact]
    public void Mean_is_Rs()
    {
        RMean.Of([0.1, 0.2, 0.3, 0.4, 0.7]).Should().Be(0.33999999999999997);
        RMean.Of(Enumerable.Range(1, 293).Select(i => i / 7.0).ToArray()).Should().Be(21);
        RMean.Of([1e16, 1, -1e16, 3.3, 1e-8]).Should().Be(0.85978906569999991);
    }

    [Fact]
    public void Mean_differs_from_a_double_sum_where_R_does()
    {
        // retail_flat's scaled history: R's init m (stan_data.json / init.R) is 0.5961785278236783; a double mean
        // gives 0.5961785278236786.
        var golden = Golden.GoldenCase.Load("retail_flat");
        var y = golden.ReadStanData().Y;

        RMean.Of(y).Should().Be(0.5961785278236783);
    }

    [Fact]
    public void Extended_precision_keeps_64_bits_and_rounds_to_even()
    {
        var one = X87Extended.FromDouble(1);
        var tiny = X87Extended.FromDouble(Math.ScaleB(1, -63));

        (one + tiny - one).ToDouble().Should().Be(Math.ScaleB(1, -63), "2^-63 is the last bit of a 64-bit significand");
        (one + X87Extended.FromDouble(Math.ScaleB(1, -64)) - one).ToDouble().Should().Be(0, "a tie rounds to the even significand");
        (one / X87Extended.FromInteger(3)).ToDouble().Should().Be(1.0 / 3.0);
        (X87Extended.FromDouble(0.1) + X87Extended.FromDouble(0.2)).ToDouble().Should().Be(0.30000000000000004);
    }
}
