using static TorchSharp.torch;

namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// Picks the next token from last-position logits as HF <c>generate(do_sample=True)</c> does with Chronos's
/// GenerationConfig (transformers generation/logits_process.py), in this order: EOS masked to −∞ at every step
/// (MinNewTokensLengthLogitsProcessor, min_new_tokens = max_new_tokens), temperature (if ≠ 1), top-k (if ≠ 0; values
/// below the k-th largest removed, ties kept), top-p (if &lt; 1; HF's ascending cumulative rule, ≥ 1 token kept),
/// softmax, then one multinomial draw per row.
/// </summary>
public sealed class TokenSampler(int eosTokenId, double temperature, int topK, double topP)
{
    /// <summary>logits (N, V) float32 → next token ids (N, 1) int64.</summary>
    public Tensor Sample(Tensor logits, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var scores = logits.to_type(ScalarType.Float32).clone();
        scores[TensorIndex.Colon, eosTokenId] = float.NegativeInfinity;
        if (temperature != 1.0)
            scores = scores / temperature;
        if (topK != 0)
        {
            var k = (int)Math.Min(topK, scores.shape[^1]);
            var kth = scores.topk(k, -1).values[TensorIndex.Ellipsis, TensorIndex.Slice(-1)];
            scores = scores.masked_fill(scores.lt(kth), float.NegativeInfinity);
        }
        if (topP < 1.0)
        {
            var (sorted, indices) = scores.sort(-1, descending: false);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            var remove = cumulative.le(1 - topP);
            remove[TensorIndex.Ellipsis, TensorIndex.Slice(-1)] = false;
            var removeOriginal = remove.scatter(1, indices, remove);
            scores = scores.masked_fill(removeOriginal, float.NegativeInfinity);
        }
        var probabilities = scores.softmax(-1);
        return multinomial(probabilities, 1, replacement: false, generator: generator).MoveToOuterDisposeScope();
    }
}
