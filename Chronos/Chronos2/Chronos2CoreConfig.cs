using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.T5;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// The network hyper-parameters of a Chronos-2 checkpoint (chronos2/config.py: Chronos2CoreConfig, a T5-style config
/// with <c>model_type "t5"</c>), read straight from config.json (<see cref="Parse"/>, with the reference class's
/// defaults for absent keys) or set in code. One set of rules (<see cref="Problems"/>) checks both.
/// </summary>
public sealed record Chronos2CoreConfig
{
    public int DModel { get; init; } = 512;
    public int DKv { get; init; } = 64;
    public int DFf { get; init; } = 2048;
    public int NumLayers { get; init; } = 6;
    public int NumHeads { get; init; } = 8;
    public double DropoutRate { get; init; } = 0.1;
    public double LayerNormEpsilon { get; init; } = 1e-6;

    /// <summary>Only plain activations: config.py asserts <c>not is_gated_act</c>; checkpoints use "relu".</summary>
    public string FeedForwardProj { get; init; } = "relu";

    /// <summary>Base θ of the rotary time encoding (config.py: rope_theta, default 10000).</summary>
    public double RopeTheta { get; init; } = 10000.0;

    public int InnerDim => NumHeads * DKv;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value that cannot describe a Chronos-2 network.</summary>
    public void Validate()
    {
        foreach (var (key, value, why) in Problems())
            throw new ArgumentException($"Chronos2CoreConfig: {key} = {value}: {why}");
    }

    /// <summary>What is wrong, by config.json key.</summary>
    public IEnumerable<(string Key, object? Value, string Why)> Problems()
    {
        foreach (var (key, value) in new[] { ("d_model", DModel), ("d_ff", DFf), ("num_layers", NumLayers), ("num_heads", NumHeads) })
            if (value < 1)
                yield return (key, value, "must be positive.");
        if (DKv < 2 || DKv % 2 != 0)
            yield return ("d_kv", DKv, "must be even and positive (RoPE rotates pairs of features).");
        if (!(LayerNormEpsilon > 0))
            yield return ("layer_norm_epsilon", LayerNormEpsilon, "must be positive.");
        if (DropoutRate is < 0 or >= 1 || double.IsNaN(DropoutRate))
            yield return ("dropout_rate", DropoutRate, "must be in [0, 1).");
        if (!(RopeTheta > 0))
            yield return ("rope_theta", RopeTheta, "must be positive.");
        if (FeedForwardProj != "relu")
            yield return ("feed_forward_proj", FeedForwardProj, "is not supported: Chronos-2 uses 'relu' (config.py asserts no gated activation).");
    }

    /// <summary>
    /// The same numbers as a <see cref="T5Config"/>, so that the T5 building blocks (RMS norm, relu MLP, unscaled
    /// attention projections) are reused with their parameter names.
    /// </summary>
    public T5Config ToT5Config() => new()
    {
        VocabSize = 2,
        DModel = DModel,
        DKv = DKv,
        DFf = DFf,
        NumLayers = NumLayers,
        NumDecoderLayers = NumLayers,
        NumHeads = NumHeads,
        DropoutRate = DropoutRate,
        LayerNormEpsilon = LayerNormEpsilon,
        FeedForwardProj = FeedForwardProj,
    };

    internal static Chronos2CoreConfig Parse(JsonFields fields)
    {
        var config = new Chronos2CoreConfig
        {
            DModel = fields.Int("d_model", 512),
            DKv = fields.Int("d_kv", 64),
            DFf = fields.Int("d_ff", 2048),
            NumLayers = fields.Int("num_layers", 6),
            NumHeads = fields.Int("num_heads", 8),
            DropoutRate = fields.Double("dropout_rate", 0.1),
            LayerNormEpsilon = fields.Double("layer_norm_epsilon", 1e-6),
            FeedForwardProj = fields.String("feed_forward_proj") ?? "relu",
            RopeTheta = fields.Double("rope_theta", 10000.0),
        };
        fields.Check(config.Problems());
        return config;
    }

    /// <summary>The keys save_pretrained writes for Chronos2CoreConfig (every one, as the reference's to_dict does).</summary>
    internal void WriteTo(JsonFields fields)
    {
        fields.Set("d_model", DModel);
        fields.Set("d_kv", DKv);
        fields.Set("d_ff", DFf);
        fields.Set("num_layers", NumLayers);
        fields.Set("num_heads", NumHeads);
        fields.Set("dropout_rate", DropoutRate);
        fields.Set("layer_norm_epsilon", LayerNormEpsilon);
        fields.Set("feed_forward_proj", FeedForwardProj);
        fields.Set("dense_act_fn", FeedForwardProj.Split('-')[^1]);
        fields.Set("is_gated_act", false);
        fields.Set("rope_theta", RopeTheta);
    }
}
