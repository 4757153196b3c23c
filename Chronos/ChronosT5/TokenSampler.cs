using static TorchSharp.torch;

namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// Picks the next token from last-position logits as HF <c>generate(do_sample=True)</c> does with Chronos's
/// GenerationConfig (transformers generation/logits_process.py), in this order: EOS masked to −∞ at every step
/// (MinNewTokensLengthLogitsProcessor, min_new_tokens = max_new_tokens), temperature (if ≠ 1), top-k (if ≠ 0; values
/// below the k-th largest removed, ties kept), top-p (if &lt; 1; HF's ascending cumulative rule, ≥ 1 token kept),
/// softmax, then one multinomial draw per row.
/// </summary>
/// <remarks>
/// With top-k the draw is made among the k candidates only: every other token has probability exactly 0 after the
/// top-k filter, temperature does not change the order, and top-p only removes candidates, so the distribution is the
/// same as over the whole vocabulary, at a fraction of the cost (Chronos-T5: k = 50 of 4 096 tokens; the full-width
/// softmax and multinomial draw were a tenth of a generation). Rows where ties with the k-th value keep more than k
/// tokens (HF keeps all of them) take the whole-vocabulary path. The candidates come from one pass over each row
/// (<see cref="TopCandidates"/>) where it applies, else from libtorch's top-k of the masked scores.
/// </remarks>
public sealed class TokenSampler(int eosTokenId, double temperature, int topK, double topP)
{
    /// <summary>logits (N, V) float32 → next token ids (N, 1) int64.</summary>
    public Tensor Sample(Tensor logits, Generator? generator)
    {
        using var scope = NewDisposeScope();
        if (topK > 0 && TopCandidates.TrySelect(logits, eosTokenId, topK, out var topValues, out var topIndices))
            return topIndices.gather(-1, Draw(topValues, generator)).MoveToOuterDisposeScope();
        var scores = logits.to_type(ScalarType.Float32).clone();
        scores[TensorIndex.Colon, eosTokenId] = float.NegativeInfinity;
        var k = (int)Math.Min(topK, scores.shape[^1]);
        if (k > 0)
        {
            var (values, indices) = scores.topk(k, -1);
            var kth = values[TensorIndex.Ellipsis, TensorIndex.Slice(-1)];
            if (scores.ge(kth).sum(-1).eq(k).all().item<bool>())
            {
                var candidate = Draw(values, generator);
                return indices.gather(-1, candidate).MoveToOuterDisposeScope();
            }
        }
        return DrawFromVocabulary(scores, k, generator).MoveToOuterDisposeScope();
    }

    /// <summary>Temperature, top-p and the draw over <paramref name="candidates"/> (N, C) → column index (N, 1).</summary>
    private Tensor Draw(Tensor candidates, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var scores = temperature != 1.0 ? candidates / temperature : candidates;
        if (topP < 1.0)
            scores = RemoveOutsideTopP(scores);
        return multinomial(scores.softmax(-1), 1, replacement: false, generator: generator).MoveToOuterDisposeScope();
    }

    /// <summary>The reference's order over the whole vocabulary (top-k by masking, ties with the k-th value kept).</summary>
    private Tensor DrawFromVocabulary(Tensor scores, int k, Generator? generator)
    {
        using var scope = NewDisposeScope();
        if (temperature != 1.0)
            scores = scores / temperature;
        if (k > 0)
        {
            var kth = scores.topk(k, -1).values[TensorIndex.Ellipsis, TensorIndex.Slice(-1)];
            scores = scores.masked_fill(scores.lt(kth), float.NegativeInfinity);
        }
        if (topP < 1.0)
            scores = RemoveOutsideTopP(scores);
        return multinomial(scores.softmax(-1), 1, replacement: false, generator: generator).MoveToOuterDisposeScope();
    }

    /// <summary>TopPLogitsWarper: removes the ascending-sorted tokens whose cumulative probability is ≤ 1 − p, keeping the last.</summary>
    private Tensor RemoveOutsideTopP(Tensor scores)
    {
        using var scope = NewDisposeScope();
        var (sorted, indices) = scores.sort(-1, descending: false);
        var cumulative = sorted.softmax(-1).cumsum(-1);
        var remove = cumulative.le(1 - topP);
        remove[TensorIndex.Ellipsis, TensorIndex.Slice(-1)] = false;
        var removeOriginal = remove.scatter(-1, indices, remove);
        return scores.masked_fill(removeOriginal, float.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
