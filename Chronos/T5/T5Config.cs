namespace Forecast.Chronos.T5;

/// <summary>
/// The hyper-parameters of a Hugging Face <c>T5Config</c> that Chronos-T5 and Chronos-Bolt use
/// (transformers: models/t5/configuration_t5.py). Defaults are the official Chronos values (spec §1).
/// </summary>
public sealed record T5Config
{
    public int VocabSize { get; init; } = 4096;
    public int DModel { get; init; } = 512;
    public int DKv { get; init; } = 64;
    public int DFf { get; init; } = 2048;
    public int NumLayers { get; init; } = 6;
    public int NumDecoderLayers { get; init; } = 6;
    public int NumHeads { get; init; } = 8;
    public int RelativeAttentionNumBuckets { get; init; } = 32;
    public int RelativeAttentionMaxDistance { get; init; } = 128;
    public double LayerNormEpsilon { get; init; } = 1e-6;
    public double DropoutRate { get; init; } = 0.1;

    /// <summary><c>"relu"</c> or <c>"gated-gelu"</c> (configuration_t5.py: feed_forward_proj).</summary>
    public string FeedForwardProj { get; init; } = "relu";

    /// <summary>T5Config default True: lm_head shares <c>shared.weight</c> and the decoder output is scaled by d_model^-0.5.</summary>
    public bool TieWordEmbeddings { get; init; } = true;

    public int DecoderStartTokenId { get; init; }
    public int PadTokenId { get; init; }
    public int EosTokenId { get; init; } = 1;

    /// <summary>Size of the concatenated heads, <c>num_heads * d_kv</c> (modeling_t5.py: T5Attention.inner_dim).</summary>
    public int InnerDim => NumHeads * DKv;

    /// <summary>True for <c>gated-gelu</c> (two input projections wi_0, wi_1).</summary>
    public bool IsGatedActivation => FeedForwardProj.StartsWith("gated-", StringComparison.Ordinal);

    /// <summary>Throws when a value cannot describe a T5 network, naming the field.</summary>
    public void Validate()
    {
        Require(VocabSize >= 1, nameof(VocabSize), VocabSize);
        Require(DModel >= 1, nameof(DModel), DModel);
        Require(DKv >= 1, nameof(DKv), DKv);
        Require(DFf >= 1, nameof(DFf), DFf);
        Require(NumLayers >= 1, nameof(NumLayers), NumLayers);
        Require(NumDecoderLayers >= 1, nameof(NumDecoderLayers), NumDecoderLayers);
        Require(NumHeads >= 1, nameof(NumHeads), NumHeads);
        Require(RelativeAttentionNumBuckets >= 2, nameof(RelativeAttentionNumBuckets), RelativeAttentionNumBuckets);
        Require(RelativeAttentionMaxDistance >= 1, nameof(RelativeAttentionMaxDistance), RelativeAttentionMaxDistance);
        Require(LayerNormEpsilon > 0, nameof(LayerNormEpsilon), LayerNormEpsilon);
        if (FeedForwardProj is not ("relu" or "gated-gelu"))
            throw new ArgumentException(
                $"T5Config.feed_forward_proj '{FeedForwardProj}' is not supported; Chronos checkpoints use 'relu' or 'gated-gelu'.");
    }

    private static void Require(bool condition, string field, object value)
    {
        if (!condition)
            throw new ArgumentException($"T5Config.{field} = {value} is out of range.");
    }
}
