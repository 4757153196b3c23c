using TorchSharp;
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

    /// <summary>
    /// Whether <see cref="ApplyInPlace"/> takes <paramref name="projected"/>: a projection before its heads are split,
    /// (B, S, h·d_kv) float32, contiguous on the CPU, positions from <paramref name="firstPosition"/> within the tables,
    /// and autograd not recording.
    /// </summary>
    public static bool CanApplyInPlace(Tensor projected, int heads, long firstPosition, Tensor cos, Tensor sin) =>
        !is_grad_enabled() && projected.dtype == ScalarType.Float32 && cos.dtype == ScalarType.Float32
        && sin.dtype == ScalarType.Float32 && projected.dim() == 3 && projected.is_contiguous()
        && cos.is_contiguous() && sin.is_contiguous() && projected.device_type == DeviceType.CPU
        && cos.shape[^1] % 2 == 0 && projected.shape[2] == heads * cos.shape[^1]
        && firstPosition >= 0 && firstPosition + projected.shape[1] <= cos.shape[^2];

    /// <summary>
    /// <see cref="Apply"/> in place on a projection before its heads are split (<see cref="CanApplyInPlace"/>). Without
    /// autograd the projection is a fresh tensor only RoPE reads, and rotating it in place saves the five (B, S, h·d_kv)
    /// temporaries of the libtorch expression per projection. The same float32 operations in the same order
    /// (<c>x₁·cos + (−x₂)·sin</c>, <c>x₂·cos + x₁·sin</c>, each product rounded before the sum), so the same result bit
    /// for bit.
    /// </summary>
    public static unsafe void ApplyInPlace(Tensor projected, int heads, long firstPosition, Tensor cos, Tensor sin)
    {
        var (batch, length, width) = (projected.shape[0], projected.shape[1], (int)projected.shape[2]);
        var size = (int)cos.shape[^1];
        var half = size / 2;
        fixed (byte* xBytes = projected.bytes)
        fixed (byte* cosBytes = cos.bytes)
        fixed (byte* sinBytes = sin.bytes)
        {
            float* x = (float*)xBytes, c = (float*)cosBytes, s = (float*)sinBytes;
            for (long row = 0; row < batch * length; row++)
            {
                var position = firstPosition + row % length;
                float* rowCos = c + position * size, rowSin = s + position * size;
                for (var head = 0; head < heads; head++)
                {
                    var h = x + row * width + head * size;
                    for (var i = 0; i < half; i++)
                    {
                        float first = h[i], second = h[i + half];
                        // Each product rounded to float32 before the sum, as libtorch's separate mul and add.
                        float a = first * rowCos[i], b = -second * rowSin[i];
                        float d = second * rowCos[i + half], e = first * rowSin[i + half];
                        h[i] = a + b;
                        h[i + half] = d + e;
                    }
                }
            }
        }
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
