using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Pre-norm residual attention along time with RoPE (chronos2/layers.py: TimeSelfAttention):
/// <c>x + dropout(MHA(norm(x)))</c>, keys masked where a patch has no observation.
/// </summary>
internal sealed class TimeSelfAttention : nn.Module
{
    private readonly Chronos2Attention self_attention;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    public TimeSelfAttention(Chronos2CoreConfig config) : base(nameof(TimeSelfAttention))
    {
        self_attention = new Chronos2Attention(config);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    /// <param name="hidden">(B, S, d).</param>
    /// <param name="timeMask">Additive mask (B, 1, 1, S).</param>
    /// <param name="rope">cos/sin tables (1, 1, S, d_kv).</param>
    /// <param name="outputPositions">Only the last this many positions are returned (queries for them only).</param>
    public Tensor forward(Tensor hidden, Tensor timeMask, (Tensor Cos, Tensor Sin) rope, IInferenceBackend backend, long? outputPositions = null)
    {
        using var scope = NewDisposeScope();
        var length = hidden.shape[1];
        var kept = outputPositions ?? length;
        var attended = self_attention.forward(layer_norm.forward(hidden, backend), kept, timeMask, rope, backend);
        var residual = kept == length ? hidden : hidden[.., TensorIndex.Slice(length - kept)];
        return backend.AddResidual(residual, dropout.Apply(attended)).MoveToOuterDisposeScope();
    }
}
