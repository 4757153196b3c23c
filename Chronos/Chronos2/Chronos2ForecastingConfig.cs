using Forecast.Chronos.Checkpoints;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// <c>chronos_config</c> of a Chronos-2 checkpoint (chronos2/config.py: dataclass Chronos2ForecastingConfig), read
/// straight from config.json (<see cref="Parse"/>: the dataclass's required fields must be there; use_reg_token and
/// use_arcsinh default to false, max_output_patches to 1) or set in code (defaults: the official checkpoints). One set
/// of rules (<see cref="Problems"/>) checks both.
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

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that cannot describe a Chronos-2 model.</summary>
    public void Validate()
    {
        foreach (var (key, value, why) in Problems())
            throw new ArgumentException($"chronos_config.{key} = {value}: {why}");
    }

    /// <summary>What is wrong, by chronos_config key.</summary>
    public IEnumerable<(string Key, object? Value, string Why)> Problems()
    {
        foreach (var (key, value) in new[]
                 {
                     ("context_length", ContextLength), ("input_patch_size", InputPatchSize), ("input_patch_stride", InputPatchStride),
                     ("output_patch_size", OutputPatchSize), ("max_output_patches", MaxOutputPatches),
                 })
            if (value < 1)
                yield return (key, value, "must be positive.");
        if (InputPatchSize != OutputPatchSize)
            yield return ("output_patch_size", OutputPatchSize,
                $"input_patch_size ({InputPatchSize}) and output_patch_size ({OutputPatchSize}) must be equal (model.py asserts it).");
        if (TimeEncodingScale is < 1)
            yield return ("time_encoding_scale", TimeEncodingScale, "must be positive.");
        foreach (var problem in ChronosQuantiles.Problems(Quantiles))
            yield return ("quantiles", string.Join(", ", Quantiles), problem);
    }

    internal static Chronos2ForecastingConfig Parse(JsonFields fields)
    {
        int Required(string name) => fields.Int(name) ?? throw fields.Invalid(name, "is missing (chronos2/config.py Chronos2ForecastingConfig requires it).");
        var config = new Chronos2ForecastingConfig
        {
            ContextLength = Required("context_length"),
            InputPatchSize = Required("input_patch_size"),
            InputPatchStride = Required("input_patch_stride"),
            OutputPatchSize = Required("output_patch_size"),
            Quantiles = [.. (fields.Doubles("quantiles") ?? throw fields.Invalid("quantiles", "is missing.")).Select(q => (float)q)],
            MaxOutputPatches = fields.Int("max_output_patches") ?? 1,
            UseRegToken = fields.Bool("use_reg_token") ?? false,
            UseArcsinh = fields.Bool("use_arcsinh") ?? false,
            TimeEncodingScale = fields.Double("time_encoding_scale") switch
            {
                null => null,
                double scale when scale == Math.Floor(scale) && Math.Abs(scale) <= int.MaxValue => (int)scale,
                _ => throw fields.Invalid("time_encoding_scale", "must be an integer."),
            },
        };
        fields.Check(config.Problems());
        return config;
    }

    internal void WriteTo(JsonFields fields)
    {
        fields.Set("context_length", ContextLength);
        fields.Set("input_patch_size", InputPatchSize);
        fields.Set("input_patch_stride", InputPatchStride);
        fields.Set("output_patch_size", OutputPatchSize);
        fields.SetLevels("quantiles", Quantiles);
        fields.Set("max_output_patches", MaxOutputPatches);
        fields.Set("use_reg_token", UseRegToken);
        fields.Set("use_arcsinh", UseArcsinh);
        fields.Set("time_encoding_scale", TimeEncodingScale);
    }
}
