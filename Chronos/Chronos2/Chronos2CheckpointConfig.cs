using System.Text.Json;
using Forecast.Chronos.Loading;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// A Chronos-2 checkpoint's config.json (architectures[0] <c>Chronos2Model</c>, chronos_pipeline_class
/// <c>Chronos2Pipeline</c>): the Chronos2CoreConfig fields and chronos_config. Errors name the file and the field.
/// </summary>
public sealed record Chronos2CheckpointConfig(string Path, Chronos2CoreConfig Core, Chronos2ForecastingConfig Forecasting)
{
    public const string Architecture = "Chronos2Model";

    public static Chronos2CheckpointConfig Read(string path)
    {
        return Parse(ConfigJsonFields.ReadRoot(path, "Chronos-2"), path);
    }

    public static Chronos2CheckpointConfig Parse(JsonElement root, string path)
    {
        var architecture = root.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
            && list.GetArrayLength() > 0 ? list[0].GetString() ?? "" : "";
        if (architecture != Architecture)
            throw new InvalidDataException(
                $"{path}: architectures[0] is '{architecture}', not '{Architecture}'; load Chronos-T5/Bolt checkpoints with ChronosPretrained.");
        if (!root.TryGetProperty("chronos_config", out var chronos) || chronos.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: no chronos_config object — not a Chronos-2 config file.");

        var reader = new ConfigJsonFields(root, path);
        var core = new Chronos2CoreConfig
        {
            DModel = reader.Int("d_model", 512),
            DKv = reader.Int("d_kv", 64),
            DFf = reader.Int("d_ff", 2048),
            NumLayers = reader.Int("num_layers", 6),
            NumHeads = reader.Int("num_heads", 8),
            DropoutRate = reader.Double("dropout_rate", 0.1),
            LayerNormEpsilon = reader.Double("layer_norm_epsilon", 1e-6),
            FeedForwardProj = reader.String("feed_forward_proj", "relu"),
            RopeTheta = reader.Double("rope_theta", 10000.0),
        };
        var c = new ConfigJsonFields(chronos, path, "chronos_config.");
        var forecasting = new Chronos2ForecastingConfig
        {
            ContextLength = c.RequiredInt("context_length"),
            InputPatchSize = c.RequiredInt("input_patch_size"),
            InputPatchStride = c.RequiredInt("input_patch_stride"),
            OutputPatchSize = c.RequiredInt("output_patch_size"),
            Quantiles = c.Floats("quantiles") ?? throw new InvalidDataException($"{path}: chronos_config.quantiles is missing."),
            UseRegToken = c.Bool("use_reg_token", false),
            UseArcsinh = c.Bool("use_arcsinh", false),
            MaxOutputPatches = c.Int("max_output_patches", 1),
            TimeEncodingScale = c.OptionalInt("time_encoding_scale"),
        };
        try
        {
            core.Validate();
            forecasting.Validate();
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"{path}: {error.Message}", error);
        }
        return new Chronos2CheckpointConfig(path, core, forecasting);
    }
}
