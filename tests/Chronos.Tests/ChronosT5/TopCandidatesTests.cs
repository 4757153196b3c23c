using Forecast.Chronos.ChronosT5;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.ChronosT5;

/// <summary>The sampler's one-pass top-k against libtorch's <c>topk</c> of the EOS-masked scores (what it replaces).</summary>
public class TopCandidatesTests
{
    // Chronos-T5's vocabulary and top-k, a vocabulary that is not a multiple of 16, EOS inside the first k tokens.
    [Theory]
    [InlineData(4096, 50, 1L)]
    [InlineData(1003, 7, 500L)]
    [InlineData(37, 20, 3L)]
    public void Values_and_tokens_are_those_of_libtorch_topk_over_the_masked_scores(int vocabulary, int k, long eos)
    {
        TorchRuntime.EnsureLoaded();
        using var generator = new Generator(7);
        using var logits = randn(12, vocabulary, generator: generator) * 3;
        using var masked = logits.clone();
        masked[TensorIndex.Colon, eos] = float.NegativeInfinity;
        var (expectedValues, expectedIndices) = masked.topk(k, -1);

        TopCandidates.TrySelect(logits, eos, k, out var values, out var indices).Should().BeTrue();

        values.data<float>().ToArray().Should().Equal(expectedValues.data<float>().ToArray());
        indices.data<long>().ToArray().Should().Equal(expectedIndices.data<long>().ToArray());
        logits[TensorIndex.Colon, eos].data<float>().ToArray().Should().NotContain(float.NegativeInfinity, "the logits are read, not masked");
    }

    [Fact]
    public void Equal_values_inside_the_k_come_earlier_token_first()
    {
        TorchRuntime.EnsureLoaded();
        using var logits = tensor(new float[] { 0f, 9f, 5f, 7f, 5f, 1f, 2f }).unsqueeze(0);

        TopCandidates.TrySelect(logits, 1, 3, out var values, out var indices).Should().BeTrue();

        values.data<float>().ToArray().Should().Equal(7f, 5f, 5f);
        indices.data<long>().ToArray().Should().Equal(3L, 2L, 4L);
    }

    // Ties with the k-th value (HF keeps every tied token), NaN, and a k-th value of −∞ go to the whole-vocabulary path.
    [Theory]
    [InlineData(new[] { 0f, 9f, 5f, 7f, 5f, 1f }, 2)]
    [InlineData(new[] { 0f, 9f, float.NaN, 7f, 5f, 1f }, 2)]
    [InlineData(new[] { 3f, 9f, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, 1f }, 3)]
    public void Rows_the_whole_vocabulary_path_must_decide_are_declined(float[] row, int k)
    {
        TorchRuntime.EnsureLoaded();
        using var logits = tensor(row).unsqueeze(0).expand(3, row.Length).contiguous();

        TopCandidates.TrySelect(logits, 1, k, out _, out _).Should().BeFalse();
    }
}
