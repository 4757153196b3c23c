using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Attention along the batch axis between the series of a group, at each time position (chronos2/layers.py:
/// GroupSelfAttention): time and batch axes are swapped, no RoPE (series have no order), and the mask lets a series
/// attend to the observed patches of its own group only.
/// </summary>
internal sealed class GroupSelfAttention : nn.Module
{
    private readonly Chronos2Attention self_attention;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    public GroupSelfAttention(Chronos2CoreConfig config) : base(nameof(GroupSelfAttention))
    {
        self_attention = new Chronos2Attention(config);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    /// <summary>Ahead of a call whose series are each their own group, <paramref name="rows"/> (B·S) rows per pass.</summary>
    public void PrepareOwnGroups(IInferenceBackend backend, long rows) => self_attention.PrepareSelfAttention(backend, rows);

    /// <param name="hidden">(B, S, d).</param>
    /// <param name="groupTimeMask">
    /// Additive mask (S, 1, B, B), or null when every series is its own group: then each series attends only to
    /// itself and the layer reduces to <c>o(v(norm(x)))</c> (exact for every patch that has an observation; a
    /// patch without any, whose output the reference averages over the whole batch, feeds nothing downstream
    /// because the time attention masks it as a key).
    /// </param>
    public Tensor forward(Tensor hidden, Tensor? groupTimeMask, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        if (groupTimeMask is null)
        {
            var own = self_attention.AttendToSelf(layer_norm.forward(hidden, backend), backend);
            return backend.AddResidual(hidden, dropout.Apply(own)).MoveToOuterDisposeScope();
        }
        var swapped = hidden.transpose(0, 1);                        // (S, B, d)
        var attended = self_attention.forward(layer_norm.forward(swapped, backend), groupTimeMask, null, backend);
        return backend.AddResidual(swapped, dropout.Apply(attended)).transpose(0, 1).MoveToOuterDisposeScope();
    }
}
