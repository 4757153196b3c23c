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
}
