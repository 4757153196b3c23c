using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// The quantile helpers of Chronos-2's pipeline (chronos/utils.py: interpolate_quantiles, weighted_quantile;
/// chronos2/pipeline.py: _get_prob_mass_per_quantile_level), with the reference's float32 arithmetic.
/// </summary>
public static class QuantileInterpolation
{
    /// <summary>
    /// utils.py: interpolate_quantiles — values at <paramref name="queryLevels"/> by linear interpolation between
    /// the known levels (last axis of <paramref name="values"/>), which may be 1-D or per row (same shape as values).
    /// Levels 0 and 1 are added with the first/last value, so queries outside the known range are clamped.
    /// </summary>
    public static Tensor Interpolate(IReadOnlyList<float> queryLevels, Tensor originalLevels, Tensor values)
    {
        using var scope = NewDisposeScope();
        var originalDtype = values.dtype;
        var count = values.shape[^1];
        var leading = values.shape[..^1];
        var flat = values.to_type(ScalarType.Float32).reshape(-1, count);
        var rows = flat.shape[0];
        var levels = originalLevels.to_type(ScalarType.Float32).clamp(0.0, 1.0).to(values.device);
        levels = levels.dim() == 1 ? levels.expand(rows, -1) : levels.reshape(-1, count);

        var (sortedLevels, order) = levels.sort(-1, stable: true);
        var sortedValues = flat.gather(-1, order);
        var paddedLevels = new List<Tensor>();
        var paddedValues = new List<Tensor>();
        // Only pad where the extreme levels are not given (utils.py checks the whole tensor's min/max).
        if (levels.min().item<float>() > 0.0f)
        {
            paddedLevels.Add(zeros(rows, 1, dtype: ScalarType.Float32, device: flat.device));
            paddedValues.Add(sortedValues[.., TensorIndex.Slice(0, 1)]);
        }
        paddedLevels.Add(sortedLevels);
        paddedValues.Add(sortedValues);
        if (levels.max().item<float>() < 1.0f)
        {
            paddedLevels.Add(ones(rows, 1, dtype: ScalarType.Float32, device: flat.device));
            paddedValues.Add(sortedValues[.., TensorIndex.Slice(-1)]);
        }
        var allLevels = cat(paddedLevels, -1).contiguous();
        var allValues = cat(paddedValues, -1);

        var query = tensor(queryLevels.ToArray(), device: flat.device).expand(rows, -1).contiguous();
        // Index of the smallest level strictly above the query, clamped to the last one.
        var upper = searchsorted(allLevels, query, right: true).clamp_max(allLevels.shape[^1] - 1);
        var lower = upper - 1;
        var lowerLevels = allLevels.gather(1, lower);
        var upperLevels = allLevels.gather(1, upper);
        var lowerValues = allValues.gather(1, lower);
        var upperValues = allValues.gather(1, upper);
        var weight = ((query - lowerLevels) / (upperLevels - lowerLevels)).nan_to_num(0.0);
        var interpolated = lowerValues + weight * (upperValues - lowerValues);
        return interpolated.reshape([.. leading, queryLevels.Count]).to_type(originalDtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// utils.py: weighted_quantile — quantiles of the discrete distribution of <paramref name="samples"/> (last axis)
    /// with the given probability masses: samples sorted, cumulative masses (clamped to [0, 1]) as their levels,
    /// then <see cref="Interpolate"/>.
    /// </summary>
    public static Tensor WeightedQuantile(IReadOnlyList<float> queryLevels, Tensor sampleWeights, Tensor samples)
    {
        using var scope = NewDisposeScope();
        var originalDtype = samples.dtype;
        var count = samples.shape[^1];
        if (sampleWeights.dim() != 1 || sampleWeights.shape[0] != count)
            throw new ArgumentException(
                $"sample weights have shape [{string.Join(", ", sampleWeights.shape)}] but the samples' last axis has {count} entries.",
                nameof(sampleWeights));
        var leading = samples.shape[..^1];
        var flat = samples.to_type(ScalarType.Float32).reshape(-1, count);
        var weights = sampleWeights.to_type(ScalarType.Float32).to(flat.device);
        weights = (weights / weights.sum(-1, keepdim: true)).expand(flat.shape[0], -1).contiguous();
        var (sorted, order) = flat.sort(-1);
        var sortedWeights = weights.gather(-1, order);
        var cumulative = sortedWeights.cumsum(-1).clamp(0.0, 1.0);
        var result = Interpolate(queryLevels, cumulative, sorted);
        return result.reshape([.. leading, queryLevels.Count]).to_type(originalDtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// pipeline.py: _get_prob_mass_per_quantile_level — trapezoid masses <c>(q_{i+1} − q_{i−1}) / 2</c> with
    /// q₀ = 0 and q_{n+1} = 1, normalised to sum 1.
    /// </summary>
    public static Tensor ProbabilityMass(IReadOnlyList<float> levels)
    {
        if (levels.Count == 0 || levels.Any(l => l is <= 0 or >= 1))
            throw new ArgumentException("Quantile levels must lie strictly between 0 and 1.", nameof(levels));
        using var scope = NewDisposeScope();
        var boundaries = cat([tensor(new[] { 0.0f }), tensor(levels.ToArray()), tensor(new[] { 1.0f })]);
        var mass = (boundaries[TensorIndex.Slice(2)] - boundaries[TensorIndex.Slice(0, -2)]) / 2;
        return (mass / mass.sum()).MoveToOuterDisposeScope();
    }
}
