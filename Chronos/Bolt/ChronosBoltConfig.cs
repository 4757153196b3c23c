using Forecast.Chronos.Checkpoints;

namespace Forecast.Chronos.Bolt;

/// <summary>
/// <c>chronos_config</c> of a Chronos-Bolt checkpoint (chronos_bolt.py: dataclass ChronosBoltConfig), read straight
/// from config.json (<see cref="Parse"/>: the dataclass's required fields must be there) or set in code (defaults: the
/// official values). One set of rules (<see cref="Problems"/>) checks both.
/// </summary>
public sealed record ChronosBoltConfig
{
    public int ContextLength { get; init; } = 2048;
    public int PredictionLength { get; init; } = 64;
    public int InputPatchSize { get; init; } = 16;
    public int InputPatchStride { get; init; } = 16;
    public IReadOnlyList<float> Quantiles { get; init; } = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];

    /// <summary>Official checkpoints use it; the dataclass default (an absent key) is false.</summary>
    public bool UseRegToken { get; init; } = true;

    /// <summary>Id of the REG embedding in <c>shared</c> (chronos_bolt.py sets config.reg_token_id = 1).</summary>
    public int RegTokenId => 1;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that cannot describe a Bolt model.</summary>
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
                     ("context_length", ContextLength), ("prediction_length", PredictionLength),
                     ("input_patch_size", InputPatchSize), ("input_patch_stride", InputPatchStride),
                 })
            if (value < 1)
                yield return (key, value, "must be positive.");
        foreach (var problem in ChronosQuantiles.Problems(Quantiles))
            yield return ("quantiles", string.Join(", ", Quantiles), problem);
    }

    internal static ChronosBoltConfig Parse(JsonFields fields)
    {
        int Required(string name) => fields.Int(name) ?? throw fields.Invalid(name, "is missing (chronos_bolt.py ChronosBoltConfig requires it).");
        var config = new ChronosBoltConfig
        {
            ContextLength = Required("context_length"),
            PredictionLength = Required("prediction_length"),
            InputPatchSize = Required("input_patch_size"),
            InputPatchStride = Required("input_patch_stride"),
            Quantiles = [.. (fields.Doubles("quantiles") ?? throw fields.Invalid("quantiles", "is missing.")).Select(q => (float)q)],
            UseRegToken = fields.Bool("use_reg_token") ?? false,
        };
        fields.Check(config.Problems());
        return config;
    }

    internal void WriteTo(JsonFields fields)
    {
        fields.Set("context_length", ContextLength);
        fields.Set("prediction_length", PredictionLength);
        fields.Set("input_patch_size", InputPatchSize);
        fields.Set("input_patch_stride", InputPatchStride);
        fields.SetLevels("quantiles", Quantiles);
        fields.Set("use_reg_token", UseRegToken);
    }
}
