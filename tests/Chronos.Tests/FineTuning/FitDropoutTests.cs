using Forecast.Chronos.FineTuning;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.FineTuning;

/// <summary>Dropout drawn from a fit's own generator against libtorch's dropout (ATen's _dropout_impl).</summary>
public class FitDropoutTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void A_fit_step_drops_as_libtorch_dropout_does(double p)
    {
        TorchRuntime.EnsureLoaded();
        using var input = arange(1, 65, dtype: ScalarType.Float32);
        using var randomness = new FitRandomness(3);

        using var dropped = randomness.Step(() => FitDropout.Apply(input, p));
        using var expected = nn.functional.dropout(input, p, training: true);

        var values = dropped.data<float>().ToArray();
        values.Should().OnlyContain(v => float.IsFinite(v));
        if (p == 1)
            values.Should().Equal(expected.data<float>().ToArray(), "libtorch's dropout gives zeros at p = 1");
        else
            values.Zip(input.data<float>().ToArray()).Should().OnlyContain(pair => pair.First == 0 || pair.First == (float)(pair.Second / (1 - p)));
    }

    [Fact]
    public void A_fits_mask_follows_its_seed_alone()
    {
        TorchRuntime.EnsureLoaded();
        using var input = ones(256, dtype: ScalarType.Float32);
        float[] Mask(int seed)
        {
            using var randomness = new FitRandomness(seed);
            using var dropped = randomness.Step(() => FitDropout.Apply(input, 0.5));
            return dropped.data<float>().ToArray();
        }

        var first = Mask(3);
        using (var other = rand(1000)) { } // a draw from the process's generator in between
        Mask(3).Should().Equal(first, "the same seed draws the same mask whatever the process drew before");
        Mask(4).Should().NotEqual(first, "another seed draws another mask (equal with probability 2^-256)");
    }
}
