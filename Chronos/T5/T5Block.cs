using System.Runtime.CompilerServices;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// One T5 block (modeling_t5.py: T5Block): <c>layer.0</c> self-attention, decoder only <c>layer.1</c> cross-attention,
/// last <c>layer.N</c> feed-forward — registered under <c>layer</c> so parameter names match the checkpoint.
/// </summary>
internal sealed class T5Block : nn.Module
{
    // The only module field: TorchSharp registers every module-typed field, and the sub-layers must be named
    // layer.0 / layer.1 / layer.2 as in HF, so typed access goes through the properties below.
    private readonly ModuleList<nn.Module> layer;

    public T5Block(T5Config config, bool isDecoder, bool hasRelativeAttentionBias) : base(nameof(T5Block))
    {
        var self = new T5LayerSelfAttention(config, hasRelativeAttentionBias);
        var feedForward = new T5LayerFF(config);
        layer = isDecoder
            ? new ModuleList<nn.Module>(self, new T5LayerCrossAttention(config), feedForward)
            : new ModuleList<nn.Module>(self, feedForward);
        RegisterComponents();
    }

    private T5LayerSelfAttention selfAttention => (T5LayerSelfAttention)layer[0];

    private T5LayerCrossAttention? crossAttention => layer.Count == 3 ? (T5LayerCrossAttention)layer[1] : null;

    private T5LayerFF feedForward => (T5LayerFF)layer[^1];

    public T5Attention SelfAttention => selfAttention.Attention;

    public T5Attention CrossAttention =>
        crossAttention?.Attention ?? throw new InvalidOperationException("An encoder block has no cross-attention.");

    /// <summary>Encoder block (no cross arguments) or decoder block over a whole sequence.</summary>
    /// <param name="cross">Decoder only: encoder keys, values (B, h, Le, k) and mask bias (B, 1, 1, Le).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor forward(Tensor hidden, Tensor? bias, IInferenceBackend backend, (Tensor Keys, Tensor Values, Tensor MaskBias)? cross = null)
    {
        using var scope = NewDisposeScope();
        var x = selfAttention.forward(hidden, bias, backend);
        if (crossAttention is not null)
        {
            var (keys, values, maskBias) = cross
                ?? throw new ArgumentException("A decoder block needs the encoder keys, values and mask.", nameof(cross));
            x = crossAttention.forward(x, keys, values, maskBias, backend);
        }
        return feedForward.forward(x, backend).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decoder block over one position per encoder row (Chronos-Bolt's decoder step, inference): self-attention of the
    /// position to itself, cross-attention through the weights (<see cref="T5LayerCrossAttention.ForwardOnePosition"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor DecodeOnePosition(Tensor hidden, Tensor? selfBias, Tensor encoderHidden, Tensor crossMaskBias, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var x = selfAttention.forward(hidden, selfBias, backend);
        x = crossAttention!.ForwardOnePosition(x, encoderHidden, crossMaskBias, backend);
        return feedForward.forward(x, backend).MoveToOuterDisposeScope();
    }

    /// <summary>One incremental decoder step with the block's cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Step(Tensor hidden, T5LayerCache cache, Tensor selfBias, Tensor crossMaskBias, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var x = selfAttention.Step(hidden, cache, selfBias, backend);
        x = crossAttention!.forward(x, cache.CrossKeys, cache.CrossValues, crossMaskBias, backend);
        return feedForward.forward(x, backend).MoveToOuterDisposeScope();
    }
}
