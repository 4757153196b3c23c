using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.ChronosT5;

/// <summary>The sampler's one-pass top-k against libtorch's <c>topk</c> of the EOS-masked scores (what it replaces).</summary>
public class TopCandidatesTests
{
    // Chronos-T5's vocabulary and top-k, a vocabulary that is not a multiple of 16, EOS inside the first k tokens.
    [Avx2Theory]
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

    [Avx2Fact]
    public void Equal_values_inside_the_k_come_earlier_token_first()
    {
        TorchRuntime.EnsureLoaded();
        using var logits = tensor(new float[] { 0f, 9f, 5f, 7f, 5f, 1f, 2f }).unsqueeze(0);

        TopCandidates.TrySelect(logits, 1, 3, out var values, out var indices).Should().BeTrue();

        values.data<float>().ToArray().Should().Equal(7f, 5f, 5f);
        indices.data<long>().ToArray().Should().Equal(3L, 2L, 4L);
    }

    // Ties with the k-th value (HF keeps every tied token), NaN, and a k-th value of −∞ go to the whole-vocabulary path.
    [Avx2Theory]
    [InlineData(new[] { 0f, 9f, 5f, 7f, 5f, 1f }, 2)]
    [InlineData(new[] { 0f, 9f, float.NaN, 7f, 5f, 1f }, 2)]
    [InlineData(new[] { 3f, 9f, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, 1f }, 3)]
    public void Rows_the_whole_vocabulary_path_must_decide_are_declined(float[] row, int k)
    {
        TorchRuntime.EnsureLoaded();
        using var logits = tensor(row).unsqueeze(0).expand(3, row.Length).contiguous();

        TopCandidates.TrySelect(logits, 1, k, out _, out _).Should().BeFalse();
    }

    // Rows wide enough for the 16-logit blocks (64) and an odd width (1003: the tie count's blocks from column 0 leave a
    // tail of 11, the selection's blocks from column k a tail of 4), one row altered where a block's handling differs:
    // NaN inside a full block or in the tail, a tie with the k-th value counted in a full block or in the tail, EOS at
    // or above the k-th value (the only other logit that large, in a block taken one logit at a time), a k-th value of
    // −∞. What is expected comes from libtorch: topk of the EOS-masked scores, and whether the sampler's old path takes
    // those candidates (no NaN, a finite k-th value, exactly k scores at least that large).
    [Avx2Theory]
    [InlineData(64, 5, 1L, "NaN in a block", true)]
    [InlineData(1003, 7, 500L, "NaN in the tail", true)]
    [InlineData(64, 5, 1L, "tie with the k-th in a block", true)]
    [InlineData(1003, 7, 500L, "tie with the k-th in the tail", true)]
    [InlineData(64, 5, 40L, "EOS above the k-th", false)]
    [InlineData(1003, 7, 500L, "EOS above the k-th", false)]
    [InlineData(1003, 7, 500L, "EOS equal to the k-th", false)]
    [InlineData(64, 5, 1L, "k-th of -inf", true)]
    public void Wide_rows_are_selected_or_declined_as_libtorch_topk_says(int vocabulary, int k, long eos, string alteration, bool declined)
    {
        TorchRuntime.EnsureLoaded();
        const int rows = 4, altered = 2;
        using var generator = new Generator(11);
        using var random = randn(rows, vocabulary, generator: generator) * 3;
        var data = random.data<float>().ToArray();
        var row = data.AsSpan(altered * vocabulary, vocabulary);
        var kth = MaskedTopK(tensor(row.ToArray()).unsqueeze(0), eos, k).Values[0, k - 1].item<float>();
        var (lastBlockStart, tailStart) = (vocabulary / 2, vocabulary - 2);   // a full block's column, a tail's
        switch (alteration)
        {
            case "NaN in a block": row[lastBlockStart] = float.NaN; break;
            case "NaN in the tail": row[tailStart] = float.NaN; break;
            case "tie with the k-th in a block": row[Smallest(row, lastBlockStart, lastBlockStart + 8)] = kth; break;
            case "tie with the k-th in the tail": row[Smallest(row, tailStart - 1, vocabulary)] = kth; break;
            case "EOS above the k-th": row[(int)eos] = kth + 100; break;
            case "EOS equal to the k-th": row[(int)eos] = kth; break;
            case "k-th of -inf":
                row.Fill(float.NegativeInfinity);
                (row[10], row[20], row[40]) = (1f, 2f, 3f);
                break;
        }
        using var logits = tensor(data, [rows, vocabulary]);
        var (expectedValues, expectedIndices) = MaskedTopK(logits, eos, k);
        using var masked = logits.clone();
        masked[TensorIndex.Colon, eos] = float.NegativeInfinity;
        var kthValues = expectedValues[TensorIndex.Colon, TensorIndex.Slice(k - 1, k)];
        var wholeVocabulary = masked.isnan().any().item<bool>() || kthValues.isneginf().any().item<bool>()
            || masked.ge(kthValues).sum(-1).ne(k).any().item<bool>();
        wholeVocabulary.Should().Be(declined, $"libtorch's topk says the row with {alteration} is one the whole-vocabulary path decides or not");

        var selected = TopCandidates.TrySelect(logits, eos, k, out var values, out var indices);

        selected.Should().Be(!wholeVocabulary);
        if (selected)
        {
            values.data<float>().ToArray().Should().Equal(expectedValues.data<float>().ToArray());
            indices.data<long>().ToArray().Should().Equal(expectedIndices.data<long>().ToArray());
        }
    }

    private static (Tensor Values, Tensor Indices) MaskedTopK(Tensor logits, long eos, int k)
    {
        using var masked = logits.clone();
        masked[TensorIndex.Colon, eos] = float.NegativeInfinity;
        return masked.topk(k, -1);
    }

    /// <summary>The column of the smallest logit in [first, end): far below the k-th value, so a tie made there is a new one.</summary>
    private static int Smallest(Span<float> row, int first, int end)
    {
        var column = first;
        for (var j = first; j < end; j++)
            if (row[j] < row[column])
                column = j;
        return column;
    }
}
