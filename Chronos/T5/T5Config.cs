using Forecast.Chronos.Checkpoints;

namespace Forecast.Chronos.T5;

/// <summary>
/// The hyper-parameters of a Hugging Face <c>T5Config</c> that Chronos-T5 and Chronos-Bolt use
/// (transformers: models/t5/configuration_t5.py), read straight from config.json (<see cref="Parse"/>, with
/// transformers' defaults for absent keys) or set in code (defaults: the official Chronos sizes). One set of rules
/// (<see cref="Problems"/>) checks both.
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

    /// <summary>decoder_start_token_id; null when config.json has none (T5 then starts from the pad token).</summary>
    public int? DecoderStartTokenId { get; init; }
    public int PadTokenId { get; init; }

    /// <summary>eos_token_id (T5Config default 1); null when config.json removed it (Chronos-2's config does).</summary>
    public int? EosTokenId { get; init; } = 1;

    /// <summary>The token the decoder starts from: decoder_start_token_id, else the pad token (modeling_t5.py: _shift_right).</summary>
    public int StartTokenId => DecoderStartTokenId ?? PadTokenId;

    /// <summary>Size of the concatenated heads, <c>num_heads * d_kv</c> (modeling_t5.py: T5Attention.inner_dim).</summary>
    public int InnerDim => NumHeads * DKv;

    /// <summary>True for <c>gated-gelu</c> (two input projections wi_0, wi_1).</summary>
    public bool IsGatedActivation => FeedForwardProj.StartsWith("gated-", StringComparison.Ordinal);

    /// <summary>configuration_t5.py: the activation after the optional "gated-"; "gated-gelu" maps to "gelu_new".</summary>
    public string DenseActFn => FeedForwardProj == "gated-gelu" ? "gelu_new" : FeedForwardProj.Split('-')[^1];

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value that cannot describe a T5 network.</summary>
    public void Validate()
    {
        foreach (var (key, value, why) in Problems())
            throw new ArgumentException($"T5Config: {key} = {value}: {why}");
    }

    /// <summary>What is wrong, by config.json key (empty when the network can be built and run).</summary>
    public IEnumerable<(string Key, object? Value, string Why)> Problems()
    {
        foreach (var (key, value, minimum) in new[]
                 {
                     ("vocab_size", VocabSize, 1), ("d_model", DModel, 1), ("d_kv", DKv, 1), ("d_ff", DFf, 1), ("num_layers", NumLayers, 1),
                     ("num_decoder_layers", NumDecoderLayers, 1), ("num_heads", NumHeads, 1),
                     ("relative_attention_num_buckets", RelativeAttentionNumBuckets, 2), ("relative_attention_max_distance", RelativeAttentionMaxDistance, 1),
                 })
            if (value < minimum)
                yield return (key, value, $"must be at least {minimum}.");
        if (!(LayerNormEpsilon > 0))
            yield return ("layer_norm_epsilon", LayerNormEpsilon, "must be positive.");
        if (DropoutRate is < 0 or >= 1 || double.IsNaN(DropoutRate))
            yield return ("dropout_rate", DropoutRate, "must be in [0, 1).");
        if (FeedForwardProj is not ("relu" or "gated-gelu"))
            yield return ("feed_forward_proj", FeedForwardProj, "is not supported; Chronos checkpoints use 'relu' or 'gated-gelu'.");
    }

    /// <summary>config.json's T5Config keys, with transformers' T5Config defaults where a key is absent; errors name the file and key.</summary>
    internal static T5Config Parse(JsonFields fields)
    {
        var numLayers = fields.Int("num_layers", 6);
        var config = new T5Config
        {
            VocabSize = fields.Int("vocab_size", 32128),
            DModel = fields.Int("d_model", 512),
            DKv = fields.Int("d_kv", 64),
            DFf = fields.Int("d_ff", 2048),
            NumLayers = numLayers,
            NumDecoderLayers = fields.Int("num_decoder_layers") ?? numLayers,     // symmetry, as T5Config
            NumHeads = fields.Int("num_heads", 8),
            RelativeAttentionNumBuckets = fields.Int("relative_attention_num_buckets", 32),
            RelativeAttentionMaxDistance = fields.Int("relative_attention_max_distance", 128),
            DropoutRate = fields.Double("dropout_rate", 0.1),
            LayerNormEpsilon = fields.Double("layer_norm_epsilon", 1e-6),
            FeedForwardProj = fields.String("feed_forward_proj") ?? "relu",
            TieWordEmbeddings = fields.Bool("tie_word_embeddings") ?? true,
            DecoderStartTokenId = fields.Int("decoder_start_token_id"),
            PadTokenId = fields.Int("pad_token_id", 0),
            EosTokenId = fields.Has("eos_token_id") ? fields.Int("eos_token_id") : 1,
        };
        fields.Check(config.Problems());
        return config;
    }

    /// <summary>Writes the keys as save_pretrained does: keys the file had, and others where they differ from T5Config's defaults.</summary>
    internal void WriteTo(JsonFields fields)
    {
        fields.SetUnlessDefault("vocab_size", VocabSize, 32128);
        fields.SetUnlessDefault("d_model", DModel, 512);
        fields.SetUnlessDefault("d_kv", DKv, 64);
        fields.SetUnlessDefault("d_ff", DFf, 2048);
        fields.SetUnlessDefault("num_layers", NumLayers, 6);
        fields.SetUnlessDefault("num_decoder_layers", NumDecoderLayers, NumLayers);
        fields.SetUnlessDefault("num_heads", NumHeads, 8);
        fields.SetUnlessDefault("relative_attention_num_buckets", RelativeAttentionNumBuckets, 32);
        fields.SetUnlessDefault("relative_attention_max_distance", RelativeAttentionMaxDistance, 128);
        fields.SetUnlessDefault("dropout_rate", DropoutRate, 0.1);
        fields.SetUnlessDefault("layer_norm_epsilon", LayerNormEpsilon, 1e-6);
        fields.SetUnlessDefault("feed_forward_proj", FeedForwardProj, "relu");
        if (fields.Has("dense_act_fn") || FeedForwardProj != "relu")
            fields.Set("dense_act_fn", DenseActFn);
        if (fields.Has("is_gated_act") || IsGatedActivation)
            fields.Set("is_gated_act", IsGatedActivation);
        fields.SetUnlessDefault("pad_token_id", PadTokenId, 0);
        if (fields.Has("eos_token_id") || EosTokenId != 1)
            fields.Set("eos_token_id", EosTokenId);
        fields.Set("decoder_start_token_id", DecoderStartTokenId);
        fields.SetUnlessDefault("tie_word_embeddings", TieWordEmbeddings, true);
    }
}
