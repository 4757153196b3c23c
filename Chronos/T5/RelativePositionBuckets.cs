using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// T5's relative position buckets (modeling_t5.py: T5Attention._relative_position_bucket): exact buckets for small
/// distances, logarithmic ones up to <c>maxDistance</c>, and (bidirectional) separate halves for keys after the query.
/// Computed with the same float32 tensor operations as the reference so bucket boundaries round identically.
/// </summary>
public static class RelativePositionBuckets
{
    /// <param name="relativePosition">memory position − query position, int64.</param>
    public static Tensor Compute(Tensor relativePosition, bool bidirectional, int numBuckets, int maxDistance)
    {
        using var scope = NewDisposeScope();
        var buckets = zeros_like(relativePosition);
        Tensor distance;
        if (bidirectional)
        {
            numBuckets /= 2;
            buckets = buckets + relativePosition.gt(0).to_type(ScalarType.Int64) * numBuckets;
            distance = relativePosition.abs();
        }
        else
        {
            distance = -minimum(relativePosition, zeros_like(relativePosition));
        }

        var maxExact = numBuckets / 2;
        var isSmall = distance.lt(maxExact);
        // log(n / max_exact) / log(max_distance / max_exact) * (num_buckets - max_exact), truncated to int64.
        var logarithmic = (distance.to_type(ScalarType.Float32) / maxExact).log()
            / Math.Log((double)maxDistance / maxExact) * (numBuckets - maxExact);
        var large = logarithmic.to_type(ScalarType.Int64) + maxExact;
        large = minimum(large, full_like(large, numBuckets - 1));
        return (buckets + where(isSmall, distance, large)).MoveToOuterDisposeScope();
    }
}
