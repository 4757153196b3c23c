namespace Forecast.Chronos.Chronos2;

/// <summary>
/// <c>chronos_config</c> of a Chronos-2 checkpoint (chronos2/config.py: Chronos2ForecastingConfig). Defaults are
/// those of the official checkpoints (spec §1, Chronos-2).
/// </summary>
public sealed record Chronos2ForecastingConfig
{
    public int ContextLength { get; init; } = 8192;
    public int InputPatchSize { get; init; } = 16;
    public int InputPatchStride { get; init; } = 16;
    public int OutputPatchSize { get; init; } = 16;

    public IReadOnlyList<float> Quantiles { get; init; } =
    [
        0.01f, 0.05f, 0.1f, 0.15f, 0.2f, 0.25f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f,
        0.55f, 0.6f, 0.65f, 0.7f, 0.75f, 0.8f, 0.85f, 0.9f, 0.95f, 0.99f,
    ];

    public bool UseRegToken { get; init; } = true;
    public bool UseArcsinh { get; init; } = true;
    public int MaxOutputPatches { get; init; } = 64;

    /// <summary>Divisor of the time index features; model.py defaults it to context_length when absent.</summary>
    public int? TimeEncodingScale { get; init; }

    public int EffectiveTimeEncodingScale => TimeEncodingScale ?? ContextLength;

    /// <summary>Id of the REG embedding in <c>shared</c> (model.py sets config.reg_token_id = 1).</summary>
    public int RegTokenId => 1;

    /// <summary>Steps one forward pass can predict (pipeline.py: model_prediction_length).</summary>
    public int PredictionLength => MaxOutputPatches * OutputPatchSize;

    public void Validate()
    {
        if (ContextLength < 1 || InputPatchSize < 1 || InputPatchStride < 1 || OutputPatchSize < 1 || MaxOutputPatches < 1)
            throw new ArgumentException(
                $"chronos_config: context_length ({ContextLength}), input_patch_size ({InputPatchSize}), input_patch_stride "
                + $"({InputPatchStride}), output_patch_size ({OutputPatchSize}) and max_output_patches ({MaxOutputPatches}) must be positive.");
        if (InputPatchSize != OutputPatchSize)
            throw new ArgumentException(
                $"chronos_config: input_patch_size ({InputPatchSize}) and output_patch_size ({OutputPatchSize}) must be equal (model.py asserts it).");
        if (TimeEncodingScale is < 1)
            throw new ArgumentException($"chronos_config.time_encoding_scale ({TimeEncodingScale}) must be positive.");
        if (Quantiles.Count == 0 || Quantiles.Any(q => q is <= 0 or >= 1))
            throw new ArgumentException("chronos_config.quantiles must be a non-empty list of levels in (0, 1).");
        for (var i = 1; i < Quantiles.Count; i++)
            if (Quantiles[i] <= Quantiles[i - 1])
                throw new ArgumentException("chronos_config.quantiles must be increasing.");
    }
}
