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

    public Tensor forward(Tensor hidden, Tensor timeMask, Tensor? groupTimeMask, (Tensor Cos, Tensor Sin) rope, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var x = timeAttention.forward(hidden, timeMask, rope, backend);
        x = groupAttention.forward(x, groupTimeMask, backend);
        return feedForward.forward(x, backend).MoveToOuterDisposeScope();
    }
}
