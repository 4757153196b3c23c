namespace Forecast.Chronos.Checkpoints;

/// <summary><c>chronos_config</c> of a Chronos-Bolt checkpoint — chronos_bolt.py, dataclass ChronosBoltConfig.</summary>
public sealed record ChronosBoltSettings
{
    public required int ContextLength { get; init; }
    public required int PredictionLength { get; init; }
    public required int InputPatchSize { get; init; }
    public required int InputPatchStride { get; init; }
    public required IReadOnlyList<double> Quantiles { get; init; }

    /// <summary>Dataclass default False.</summary>
    public bool UseRegToken { get; init; }

    internal static ChronosBoltSettings Parse(JsonFields fields)
    {
        int Required(string name) => fields.Int(name) ?? throw fields.Invalid(name, "is missing (chronos_bolt.py ChronosBoltConfig requires it).");
        var settings = new ChronosBoltSettings
        {
            ContextLength = Required("context_length"),
            PredictionLength = Required("prediction_length"),
            InputPatchSize = Required("input_patch_size"),
            InputPatchStride = Required("input_patch_stride"),
            Quantiles = fields.Doubles("quantiles") ?? throw fields.Invalid("quantiles", "is missing."),
            UseRegToken = fields.Bool("use_reg_token") ?? false,
        };
        ChronosQuantiles.Validate(settings.Quantiles, fields);
        if (settings.InputPatchSize <= 0 || settings.InputPatchStride <= 0)
            throw fields.Invalid("input_patch_size", "patch size and stride must be positive.");
        return settings;
    }

    internal void WriteTo(JsonFields fields)
    {
        fields.Set("context_length", ContextLength);
        fields.Set("prediction_length", PredictionLength);
        fields.Set("input_patch_size", InputPatchSize);
        fields.Set("input_patch_stride", InputPatchStride);
        fields.Set("quantiles", Quantiles);
        fields.Set("use_reg_token", UseRegToken);
    }
}
