using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Rotary position embedding of the time attention (chronos2/layers.py: Chronos2RotaryEmbedding, the transformers
/// Llama "default" RoPE): <c>inv_freq = 1 / θ^(arange(0, d_kv, 2) / d_kv)</c>, angles <c>position · inv_freq</c>
/// duplicated as <c>cat(freqs, freqs)</c>, and <c>x·cos + rotate_half(x)·sin</c>. The buffers are not persistent in
/// the reference, so they are recomputed here and never read from a checkpoint.
/// </summary>
internal sealed class RotaryEmbedding
{
    private readonly Tensor inverseFrequencies;

    public RotaryEmbedding(int headSize, double theta)
    {
        using var scope = NewDisposeScope();
        // float32 as compute_default_rope_parameters: arange(int64).float() / dim, then base ** that, then 1 / x.
        var exponents = arange(0, headSize, 2, dtype: ScalarType.Int64).to_type(ScalarType.Float32) / headSize;
        inverseFrequencies = tensor((float)theta).pow(exponents).reciprocal().DetachFromDisposeScope();
    }

    /// <summary>cos and sin tables (1, 1, S, d_kv) for positions 0 … S−1, in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) Tables(long sequenceLength, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var positions = arange(sequenceLength, dtype: ScalarType.Float32, device: device);
        // inv_freq[:, None] @ positions[None, :] has an inner dimension of 1: plain products, as outer().
        var freqs = outer(positions, inverseFrequencies.to(device));          // (S, d_kv/2)
        var angles = cat([freqs, freqs], -1);
        var cos = angles.cos().to_type(dtype).view(1, 1, sequenceLength, -1);
        var sin = angles.sin().to_type(dtype).view(1, 1, sequenceLength, -1);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>layers.py: apply_rotary_pos_emb for one of q/k (B, h, S, d_kv).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var first = x[TensorIndex.Ellipsis, TensorIndex.Slice(0, half)];
        var second = x[TensorIndex.Ellipsis, TensorIndex.Slice(half)];
        var rotated = cat([second.neg(), first], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
