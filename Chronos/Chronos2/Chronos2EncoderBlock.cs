using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// One encoder block (chronos2/model.py: Chronos2EncoderBlock): <c>layer.0</c> time self-attention,
/// <c>layer.1</c> group self-attention, <c>layer.2</c> feed-forward — registered under <c>layer</c> so parameter
/// names match the checkpoint.
/// </summary>
internal sealed class Chronos2EncoderBlock : nn.Module
{
    private readonly ModuleList<nn.Module> layer;

    public Chronos2EncoderBlock(Chronos2CoreConfig config) : base(nameof(Chronos2EncoderBlock))
    {
        layer = new ModuleList<nn.Module>(new TimeSelfAttention(config), new GroupSelfAttention(config), new Chronos2FeedForward(config));
        RegisterComponents();
    }

    private TimeSelfAttention timeAttention => (TimeSelfAttention)layer[0];
    private GroupSelfAttention groupAttention => (GroupSelfAttention)layer[1];
    private Chronos2FeedForward feedForward => (Chronos2FeedForward)layer[2];

    /// <summary>Ahead of a call whose series are each their own group, <paramref name="rows"/> (B·S) rows per pass.</summary>
    public void PrepareOwnGroups(IInferenceBackend backend, long rows) => groupAttention.PrepareOwnGroups(backend, rows);

    /// <param name="outputPositions">
    /// Only the last this many positions are computed past the time attention's keys and values (the last block of a
    /// forecast, whose other positions feed nothing).
    /// </param>
    public Tensor forward(Tensor hidden, Tensor timeMask, Tensor? groupTimeMask, (Tensor Cos, Tensor Sin) rope, IInferenceBackend backend,
        long? outputPositions = null)
    {
        using var scope = NewDisposeScope();
        var x = timeAttention.forward(hidden, timeMask, rope, backend, outputPositions);
        // The group mask is per time position (S, 1, B, B): the kept positions' slices.
        if (groupTimeMask is not null && outputPositions is { } kept && kept != groupTimeMask.shape[0])
            groupTimeMask = groupTimeMask[TensorIndex.Slice(groupTimeMask.shape[0] - kept)];
        x = groupAttention.forward(x, groupTimeMask, backend);
        return feedForward.forward(x, backend).MoveToOuterDisposeScope();
    }
}
