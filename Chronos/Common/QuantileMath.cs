using static TorchSharp.torch;

namespace Forecast.Chronos.Common;

/// <summary>Quantile helpers with torch's exact conventions.</summary>
public static class QuantileMath
{
    /// <summary>
    /// torch.quantile(x, levels, dim) with linear interpolation (ATen Sorting.cpp: quantile): rank = q·(n−1) in the
    /// input dtype, <c>lerp(sorted[floor], sorted[ceil], rank − floor)</c>. Returns (levels, …) like torch.
    /// </summary>
    public static Tensor Quantile(Tensor x, IReadOnlyList<float> levels, long dim)
    {
        using var scope = NewDisposeScope();
        var sorted = x.movedim([dim], [-1L]).sort(-1).Values;
        var n = sorted.shape[^1];
        var results = new Tensor[levels.Count];
        for (var i = 0; i < levels.Count; i++)
        {
            // float32 arithmetic as torch does it on a float32 q tensor.
            var rank = levels[i] * (float)(n - 1);
            var below = MathF.Floor(rank);
            var weight = tensor(rank - below, dtype: sorted.dtype);
            var lower = sorted.select(-1, (long)below);
            var upper = sorted.select(-1, (long)MathF.Ceiling(rank));
            results[i] = lower.lerp(upper, weight);
        }
        return stack(results, 0).MoveToOuterDisposeScope();
    }

    /// <summary>torch.median(x, dim).values: for an even count the lower of the two middle values, not their mean.</summary>
    public static Tensor LowerMedian(Tensor x, long dim)
    {
        using var scope = NewDisposeScope();
        var sorted = x.sort(dim).Values;
        var n = sorted.shape[dim < 0 ? sorted.dim() + dim : dim];
        return sorted.select(dim, (n - 1) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>The position of <paramref name="level"/> among a model's trained quantile levels, or −1.</summary>
    public static int IndexOfLevel(IReadOnlyList<float> levels, float level)
    {
        for (var i = 0; i < levels.Count; i++)
            if (levels[i] == level)
                return i;
        return -1;
    }
}
