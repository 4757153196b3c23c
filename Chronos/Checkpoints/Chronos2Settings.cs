namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// <c>chronos_config</c> of a Chronos-2 checkpoint — chronos/chronos2/config.py, Chronos2ForecastingConfig
/// (use_reg_token and use_arcsinh default False, max_output_patches 1, time_encoding_scale defaults to
/// context_length). The model length limit is max_output_patches × output_patch_size.
/// </summary>
public sealed record Chronos2Settings
{
    public required int ContextLength { get; init; }
    public required int InputPatchSize { get; init; }
    public required int InputPatchStride { get; init; }
    public required int OutputPatchSize { get; init; }
    public required IReadOnlyList<double> Quantiles { get; init; }
    public int MaxOutputPatches { get; init; } = 1;
    public bool UseRegToken { get; init; }
    public bool UseArcsinh { get; init; }
    public double? TimeEncodingScale { get; init; }

    public int MaxPredictionLength => MaxOutputPatches * OutputPatchSize;

    internal static Chronos2Settings Parse(JsonFields fields)
    {
        int Required(string name) => fields.Int(name) ?? throw fields.Invalid(name, "is missing (chronos2 config requires it).");
        var settings = new Chronos2Settings
        {
            ContextLength = Required("context_length"),
            InputPatchSize = Required("input_patch_size"),
            InputPatchStride = Required("input_patch_stride"),
            OutputPatchSize = Required("output_patch_size"),
            Quantiles = fields.Doubles("quantiles") ?? throw fields.Invalid("quantiles", "is missing."),
            MaxOutputPatches = fields.Int("max_output_patches") ?? 1,
            UseRegToken = fields.Bool("use_reg_token") ?? false,
            UseArcsinh = fields.Bool("use_arcsinh") ?? false,
            TimeEncodingScale = fields.Double("time_encoding_scale"),
        };
        ChronosQuantiles.Validate(settings.Quantiles, fields);
        return settings;
    }

    internal void WriteTo(JsonFields fields)
    {
        fields.Set("context_length", ContextLength);
        fields.Set("input_patch_size", InputPatchSize);
        fields.Set("input_patch_stride", InputPatchStride);
        fields.Set("output_patch_size", OutputPatchSize);
        fields.Set("quantiles", Quantiles);
        fields.Set("max_output_patches", MaxOutputPatches);
        fields.Set("use_reg_token", UseRegToken);
        fields.Set("use_arcsinh", UseArcsinh);
        fields.Set("time_encoding_scale", TimeEncodingScale);
    }
}
