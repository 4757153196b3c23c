using System.Runtime.CompilerServices;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// Multi-head attention as T5 computes it (modeling_t5.py: T5Attention): no 1/√d_kv scaling of the scores, an
/// additive position bias (relative bias of block 0 plus the mask) and softmax in float32. Only block 0 of a stack
/// owns <c>relative_attention_bias</c>; the stack computes the bias once and every block reuses it.
/// </summary>
internal sealed class T5Attention : nn.Module
{
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly Embedding? relative_attention_bias;
    private readonly Dropout dropout;
    private readonly T5Config config;

    public T5Attention(T5Config config, bool hasRelativeAttentionBias) : base(nameof(T5Attention))
    {
        this.config = config;
        q = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        k = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        v = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        o = nn.Linear(config.InnerDim, config.DModel, hasBias: false);
        if (hasRelativeAttentionBias)
            relative_attention_bias = nn.Embedding(config.RelativeAttentionNumBuckets, config.NumHeads);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    public int HeadCount => config.NumHeads;

    /// <summary>dtype of the projection weights (float32, or bfloat16 on the opt-in reduced-precision path).</summary>
    public ScalarType WeightDType => q.weight!.dtype;
    public int HeadSize => config.DKv;

    /// <summary>
    /// Relative position bias (1, heads, queryLength, keyLength) for queries at positions
    /// <c>queryOffset … queryOffset+queryLength−1</c> (modeling_t5.py: T5Attention.compute_bias).
    /// </summary>
    public Tensor ComputeBias(long queryLength, long keyLength, bool bidirectional, long queryOffset = 0)
    {
        if (relative_attention_bias is null)
            throw new InvalidOperationException("Only block 0 of a T5 stack has relative_attention_bias.");
        using var scope = NewDisposeScope();
        var device = relative_attention_bias.weight!.device;
        var context = arange(queryOffset, queryOffset + queryLength, dtype: ScalarType.Int64, device: device)[.., TensorIndex.None];
        var memory = arange(keyLength, dtype: ScalarType.Int64, device: device)[TensorIndex.None, ..];
        var buckets = RelativePositionBuckets.Compute(memory - context, bidirectional,
            config.RelativeAttentionNumBuckets, config.RelativeAttentionMaxDistance);
        var values = relative_attention_bias.forward(buckets);          // (Lq, Lk, h)
        return values.permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope(); // (1, h, Lq, Lk)
    }

    /// <summary>Projects (B, L, d) to keys or values (B, h, L, d_kv).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor ProjectKeys(Tensor hidden, IInferenceBackend backend) => SplitHeads(backend.Linear(k, hidden));

    /// <inheritdoc cref="ProjectKeys"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor ProjectValues(Tensor hidden, IInferenceBackend backend) => SplitHeads(backend.Linear(v, hidden));

    /// <summary>Projects (B, L, d) to queries (B, h, L, d_kv).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor ProjectQueries(Tensor hidden, IInferenceBackend backend) => SplitHeads(backend.Linear(q, hidden));

    /// <summary>
    /// Attention of queries (B, h, Lq, k) over keys/values (B, h, Lk, k) with an additive bias broadcastable to
    /// (B, h, Lq, Lk); returns the output projection (B, Lq, d).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Attend(Tensor queries, Tensor keys, Tensor values, Tensor? bias, IInferenceBackend backend)
    {
        using var merged = backend.Attend(queries, keys, values, bias, dropout);
        return backend.Linear(o, merged);
    }

    /// <summary>
    /// Cross-attention of one query per batch entry, (B, 1, d) normed decoder states over (B, Le, d) encoder states with
    /// the additive encoder mask (B, 1, 1, Le), without projecting the encoder states: per head, q·(W_k h) = (W_kᵀ q)·h
    /// and Σⱼ pⱼ·W_v hⱼ = W_v (Σⱼ pⱼ hⱼ). Chronos-Bolt's single decoder step has one query per series, so projecting
    /// its 33 encoder states to keys and values (2·33·d² multiply-adds per layer and series, an eighth of the model's
    /// arithmetic) becomes 2·d² plus two (h × Le × d) products. The same sums in another order: equal up to float32
    /// rounding. Inference on float32 activations only (see T5Stack.Decode). bfloat16 key and value weights (the opt-in
    /// bfloat16 path) are widened to float32 (<see cref="IInferenceBackend.Float32Weights"/>: 2·d² floats, into one pair
    /// of buffers the kernel backend keeps for the call and every layer reuses), so the scores and mixtures are
    /// float32 sums of the same bfloat16 weights: nearer the float32 path than projecting the encoder states in
    /// bfloat16 products, and an eighth of the bfloat16 path's arithmetic less.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor AttendThroughWeights(Tensor normed, Tensor encoderHidden, Tensor maskBias, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var (batch, heads, size, width) = (normed.shape[0], (long)config.NumHeads, (long)config.DKv, encoderHidden.shape[2]);
        var (keyWeight, valueWeight) = backend.Float32Weights(k, v);
        var queries = backend.Linear(q, normed).view(batch, heads, size).transpose(0, 1);                // (h, B, d_kv)
        var absorbed = queries.bmm(keyWeight.view(heads, size, width)).transpose(0, 1);                   // (B, h, d)
        var scores = absorbed.bmm(encoderHidden.transpose(1, 2)) + maskBias.view(batch, 1, -1);           // (B, h, Le)
        var mixed = scores.softmax(-1).bmm(encoderHidden).transpose(0, 1);                                // (h, B, d)
        var context = mixed.bmm(valueWeight.view(heads, size, width).transpose(1, 2));                    // (h, B, d_kv)
        var merged = context.transpose(0, 1).reshape(batch, 1, heads * size);
        return backend.Linear(o, merged).MoveToOuterDisposeScope();
    }

    /// <summary>Self-attention over the whole sequence (B, L, d) with a precomputed bias (modeling_t5.py: T5Attention.forward).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor SelfAttend(Tensor hidden, Tensor? bias, IInferenceBackend backend)
    {
        // A sequence of one position (Chronos-Bolt's decoder step) attends only to itself: the softmax of a single
        // score is exactly 1 whatever q, k and the bias are, so the output is o(v(x)) bit for bit and the query and key
        // projections can be skipped (inference only; training keeps the graph the golden gradients were checked with).
        if (hidden.shape[1] == 1 && !training && !is_grad_enabled())
        {
            using var values = backend.Linear(v, hidden);
            return backend.Linear(o, values);
        }
        using var scope = NewDisposeScope();
        var result = Attend(ProjectQueries(hidden, backend), ProjectKeys(hidden, backend), ProjectValues(hidden, backend), bias, backend);
        return result.MoveToOuterDisposeScope();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor SplitHeads(Tensor projected)
    {
        using var _ = projected;
        var batch = projected.shape[0];
        var length = projected.shape[1];
        return projected.view(batch, length, config.NumHeads, config.DKv).transpose(1, 2);
    }
}
