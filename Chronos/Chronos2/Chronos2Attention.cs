using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Multi-head attention of Chronos-2 (chronos2/layers.py: MHA, "eager" path; "sdpa" computes the same with
/// scale=1.0): q/k/v/o without biases, no 1/√d_kv scaling of the scores, an additive mask, softmax in float32.
/// The time attention rotates q and k with RoPE; the group attention does not. The projections may hold bfloat16
/// weights (the opt-in path, as torch.autocast) while scores, softmax and the residual stream stay float32.
/// </summary>
internal sealed class Chronos2Attention : nn.Module, IKeepsComposedWeights
{
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly Dropout dropout;
    private readonly int heads;
    private readonly int headSize;
    private readonly ComposedWeight valueOutput = new();

    public Chronos2Attention(Chronos2CoreConfig config) : base("MHA")
    {
        heads = config.NumHeads;
        headSize = config.DKv;
        q = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        k = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        v = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        o = nn.Linear(config.InnerDim, config.DModel, hasBias: false);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    /// <summary>
    /// Self-attention over dim −2 of <paramref name="hidden"/> (N, L, d) with an additive <paramref name="mask"/>
    /// broadcastable to (N, h, L, L) and optional RoPE tables (1, 1, L, d_kv); returns (N, L, d).
    /// </summary>
    public Tensor forward(Tensor hidden, Tensor mask, (Tensor Cos, Tensor Sin)? rope, IInferenceBackend backend) =>
        forward(hidden, hidden.shape[1], mask, rope, backend);

    /// <summary>
    /// As <see cref="forward(Tensor, Tensor, ValueTuple{Tensor, Tensor}?, IInferenceBackend)"/>, with queries for the last
    /// <paramref name="queryPositions"/> positions only (keys and values from all): (N, L, d) → (N, queryPositions, d).
    /// </summary>
    public Tensor forward(Tensor hidden, long queryPositions, Tensor mask, (Tensor Cos, Tensor Sin)? rope, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var length = hidden.shape[1];
        var queryInput = queryPositions == length ? hidden : hidden[.., TensorIndex.Slice(length - queryPositions)];
        var projectedQueries = backend.Linear(q, queryInput);
        var projectedKeys = backend.Linear(k, hidden);
        // Rotated in place where it can be (RotaryEmbedding.TryApplyInPlace), else below through libtorch.
        var rotated = rope is { } inPlace
            && RotaryEmbedding.CanApplyInPlace(projectedQueries, heads, length - queryPositions, inPlace.Cos, inPlace.Sin)
            && RotaryEmbedding.CanApplyInPlace(projectedKeys, heads, 0, inPlace.Cos, inPlace.Sin);
        if (rotated)
        {
            RotaryEmbedding.ApplyInPlace(projectedQueries, heads, length - queryPositions, rope!.Value.Cos, rope.Value.Sin);
            RotaryEmbedding.ApplyInPlace(projectedKeys, heads, 0, rope.Value.Cos, rope.Value.Sin);
        }
        var queries = SplitHeads(projectedQueries);
        var keys = SplitHeads(projectedKeys);
        var values = SplitHeads(backend.Linear(v, hidden));
        if (rope is { } tables && !rotated)
        {
            var (queryCos, querySin) = queryPositions == length
                ? tables
                : (tables.Cos[TensorIndex.Ellipsis, TensorIndex.Slice(length - queryPositions), ..],
                    tables.Sin[TensorIndex.Ellipsis, TensorIndex.Slice(length - queryPositions), ..]);
            queries = RotaryEmbedding.Apply(queries, queryCos, querySin);
            keys = RotaryEmbedding.Apply(keys, tables.Cos, tables.Sin);
        }
        // No 1/√d_kv scaling: the original Chronos-2 attention.
        var merged = backend.Attend(queries, keys, values, mask, dropout);
        return backend.Linear(o, merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attention where every query may only see itself: softmax over one unmasked score (the others carry
    /// finfo.min and underflow to exactly 0) is 1, so the output is <c>o(v(x))</c> — what the group attention
    /// computes when every series is its own group, without the (L × L) scores. In large calls the backend may
    /// multiply by the composed weight <c>W_o·W_v</c> (<see cref="IInferenceBackend.LinearChain"/>), which this module
    /// keeps between calls (<see cref="ComposedWeight"/>: d_model² floats per block).
    /// </summary>
    public Tensor AttendToSelf(Tensor hidden, IInferenceBackend backend) => backend.LinearChain(v, o, hidden, valueOutput);

    /// <summary>
    /// Makes the composed <c>W_o·W_v</c> that <see cref="AttendToSelf"/> of <paramref name="rows"/> rows would keep,
    /// before a call's activations (<see cref="IInferenceBackend.PrepareLinearChain"/>).
    /// </summary>
    public void PrepareSelfAttention(IInferenceBackend backend, long rows) => backend.PrepareLinearChain(v, o, rows, valueOutput);

    /// <summary>True while the composed <c>W_o·W_v</c> is kept.</summary>
    public bool KeepsComposedWeight => valueOutput.IsKept;

    public void InvalidateComposedWeights() => valueOutput.Invalidate();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            valueOutput.Dispose();
        base.Dispose(disposing);
    }

    private Tensor SplitHeads(Tensor projected)
    {
        using var _ = projected;
        return projected.view(projected.shape[0], projected.shape[1], heads, headSize).transpose(1, 2);
    }
}
