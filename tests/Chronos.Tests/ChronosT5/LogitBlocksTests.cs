using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.ChronosT5;

/// <summary>
/// TopCandidates' 16-logit block questions at both widths against a plain loop over the block: NaN anywhere in either
/// half, thresholds equal to a logit (ties), ±∞ and −0. The 512-bit answers run in hardware on AVX-512 machines and are
/// emulated by .NET elsewhere (the same answers, slower).
/// </summary>
public unsafe class LogitBlocksTests
{
    [Avx2Theory]
    [InlineData(-1, 0.5f)]            // no NaN, a threshold between logits
    [InlineData(2, 0.5f)]             // NaN in the lower half
    [InlineData(13, 0.5f)]            // NaN in the upper half
    [InlineData(-1, float.NegativeInfinity)]
    [InlineData(-1, float.PositiveInfinity)]
    [InlineData(-1, 0f)]              // ties with +0 and −0
    [InlineData(-1, 3f)]              // ties with a logit in each half
    public void Both_widths_answer_as_a_loop_over_the_block(int nanAt, float threshold)
    {
        var block = new float[] { -2f, 0f, 1f, 3f, -0f, float.NegativeInfinity, 0.25f, -7f,
                                  3f, 0.75f, float.PositiveInfinity, -1f, 2f, 0f, -0.5f, 0.5f };
        if (nanAt >= 0)
            block[nanAt] = float.NaN;
        var noneIsNaN = block.All(value => !float.IsNaN(value));
        var anyAbove = block.Any(value => value > threshold);
        var atLeast = block.Count(value => value >= threshold);

        fixed (float* data = block)
        {
            LogitBlocks256.NoneIsNaN(data).Should().Be(noneIsNaN);
            LogitBlocks256.AnyAbove(data, threshold).Should().Be(anyAbove);
            LogitBlocks256.CountAtLeast(data, threshold).Should().Be(atLeast);
            LogitBlocks512.NoneIsNaN(data).Should().Be(noneIsNaN);
            LogitBlocks512.AnyAbove(data, threshold).Should().Be(anyAbove);
            LogitBlocks512.CountAtLeast(data, threshold).Should().Be(atLeast);
        }
    }
}
