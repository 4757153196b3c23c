using Forecast.Chronos.T5;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// The network hyper-parameters of a Chronos-2 checkpoint (chronos2/config.py: Chronos2CoreConfig, a T5-style
/// config with <c>model_type "t5"</c>). Defaults are the reference class's defaults.
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

    /// <summary>Throws naming the field when a value cannot describe a Chronos-2 network.</summary>
    public void Validate()
    {
        Require(DModel >= 1, "d_model", DModel);
        Require(DKv >= 2 && DKv % 2 == 0, "d_kv (even, RoPE rotates pairs)", DKv);
        Require(DFf >= 1, "d_ff", DFf);
        Require(NumLayers >= 1, "num_layers", NumLayers);
        Require(NumHeads >= 1, "num_heads", NumHeads);
        Require(LayerNormEpsilon > 0, "layer_norm_epsilon", LayerNormEpsilon);
        Require(RopeTheta > 0, "rope_theta", RopeTheta);
        if (FeedForwardProj != "relu")
            throw new ArgumentException(
                $"feed_forward_proj '{FeedForwardProj}' is not supported: Chronos-2 uses 'relu' (config.py asserts no gated activation).");
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

    private static void Require(bool condition, string field, object value)
    {
        if (!condition)
            throw new ArgumentException($"{field} = {value} is out of range.");
    }
}
