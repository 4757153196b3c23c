using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Multi-head attention of Chronos-2 (chronos2/layers.py: MHA, "eager" path; "sdpa" computes the same with
/// scale=1.0): q/k/v/o without biases, no 1/√d_kv scaling of the scores, an additive mask, softmax in float32.
/// The time attention rotates q and k with RoPE; the group attention does not.
/// </summary>
public sealed class Chronos2Attention : nn.Module
{
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly Dropout dropout;
    private readonly int heads;
    private readonly int headSize;

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
    public Tensor forward(Tensor hidden, Tensor mask, (Tensor Cos, Tensor Sin)? rope = null)
    {
        using var scope = NewDisposeScope();
        var queries = SplitHeads(q.forward(hidden));
        var keys = SplitHeads(k.forward(hidden));
        var values = SplitHeads(v.forward(hidden));
        if (rope is { } tables)
        {
            queries = RotaryEmbedding.Apply(queries, tables.Cos, tables.Sin);
            keys = RotaryEmbedding.Apply(keys, tables.Cos, tables.Sin);
        }
        var scores = queries.matmul(keys.transpose(3, 2));   // no scaling: the original Chronos-2 attention
        scores.add_(mask);
        var weights = scores.to_type(ScalarType.Float32).softmax(-1).to_type(scores.dtype);
        weights = dropout.forward(weights);
        var context = weights.matmul(values);
        return o.forward(MergeHeads(context)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attention where every query may only see itself: softmax over one unmasked score (the others carry
    /// finfo.min and underflow to exactly 0) is 1, so the output is <c>o(v(x))</c> — what the group attention
    /// computes when every series is its own group, without the (L × L) scores.
    /// </summary>
    public Tensor AttendToSelf(Tensor hidden)
    {
        using var values = v.forward(hidden);
        return o.forward(values);
    }

    private Tensor SplitHeads(Tensor projected)
    {
        using var _ = projected;
        return projected.view(projected.shape[0], projected.shape[1], heads, headSize).transpose(1, 2);
    }

    private Tensor MergeHeads(Tensor context) =>
        context.transpose(1, 2).reshape(context.shape[0], context.shape[2], heads * headSize);
}
