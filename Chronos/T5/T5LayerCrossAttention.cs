using System.Runtime.CompilerServices;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// Pre-norm residual cross-attention sub-layer (modeling_t5.py: T5LayerCrossAttention). Cross-attention has no
/// relative bias, only the encoder padding mask.
/// </summary>
internal sealed class T5LayerCrossAttention : nn.Module
{
    private readonly T5Attention EncDecAttention;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    public T5LayerCrossAttention(T5Config config) : base(nameof(T5LayerCrossAttention))
    {
        EncDecAttention = new T5Attention(config, hasRelativeAttentionBias: false);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    public T5Attention Attention => EncDecAttention;

    /// <summary>
    /// <c>x + dropout(attn(norm(x), enc))</c>. <paramref name="hidden"/> is (B·G, L, d) where G ≥ 1 decoder rows share
    /// one encoder row (the num_samples of generation): since cross-attention has neither position bias nor causal
    /// mask, those rows are attended as G·L queries of their encoder row, so encoder keys/values are never repeated.
    /// </summary>
    /// <param name="keys">Encoder keys (B, h, Le, k) from <c>T5Attention.ProjectKeys</c>.</param>
    /// <param name="values">Encoder values (B, h, Le, k).</param>
    /// <param name="maskBias">Additive encoder mask (B, 1, 1, Le).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor forward(Tensor hidden, Tensor keys, Tensor values, Tensor maskBias, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var encoderRows = keys.shape[0];
        var (rows, length, width) = (hidden.shape[0], hidden.shape[1], hidden.shape[2]);
        var grouped = layer_norm.forward(hidden, backend).reshape(encoderRows, rows / encoderRows * length, width);
        var attended = EncDecAttention.Attend(EncDecAttention.ProjectQueries(grouped, backend), keys, values, maskBias, backend);
        return backend.AddResidual(hidden, dropout.Apply(attended.reshape(rows, length, width))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>x + attn(norm(x), enc)</c> for one decoder position per encoder row (B, 1, d), attending through the key and
    /// value weights instead of projected encoder states (<see cref="T5Attention.AttendThroughWeights"/>; inference).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor ForwardOnePosition(Tensor hidden, Tensor encoderHidden, Tensor maskBias, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var attended = EncDecAttention.AttendThroughWeights(layer_norm.forward(hidden, backend), encoderHidden, maskBias, backend);
        return backend.AddResidual(hidden, attended).MoveToOuterDisposeScope();
    }
}
