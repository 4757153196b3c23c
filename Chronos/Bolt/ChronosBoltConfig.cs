namespace Forecast.Chronos.Bolt;

/// <summary>
/// <c>chronos_config</c> of a Chronos-Bolt checkpoint (chronos_bolt.py: ChronosBoltConfig); defaults are the official
/// values (spec §1).
/// </summary>
public sealed record ChronosBoltConfig
{
    public int ContextLength { get; init; } = 2048;
    public int PredictionLength { get; init; } = 64;
    public int InputPatchSize { get; init; } = 16;
    public int InputPatchStride { get; init; } = 16;
    public IReadOnlyList<float> Quantiles { get; init; } = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];
    public bool UseRegToken { get; init; } = true;

    /// <summary>Id of the REG embedding in <c>shared</c> (chronos_bolt.py sets config.reg_token_id = 1).</summary>
    public int RegTokenId => 1;

    public void Validate()
    {
        if (ContextLength < 1 || PredictionLength < 1 || InputPatchSize < 1 || InputPatchStride < 1)
            throw new ArgumentException(
                $"chronos_config: context_length ({ContextLength}), prediction_length ({PredictionLength}), input_patch_size "
                + $"({InputPatchSize}) and input_patch_stride ({InputPatchStride}) must be positive.");
        if (Quantiles.Count == 0 || Quantiles.Any(q => q is <= 0 or >= 1))
            throw new ArgumentException("chronos_config.quantiles must be a non-empty list of levels in (0, 1).");
        for (var i = 1; i < Quantiles.Count; i++)
            if (Quantiles[i] <= Quantiles[i - 1])
                throw new ArgumentException("chronos_config.quantiles must be increasing.");
    }
}
