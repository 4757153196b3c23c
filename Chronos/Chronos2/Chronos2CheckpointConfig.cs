using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Loading;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// A Chronos-2 checkpoint's config.json (architectures[0] <c>Chronos2Model</c>, chronos_pipeline_class
/// <c>Chronos2Pipeline</c>) as the model needs it: the Chronos2CoreConfig fields and chronos_config, taken from the one
/// config.json reader (<see cref="ChronosCheckpointConfig"/>). Errors name the file and the field.
/// </summary>
public sealed record Chronos2CheckpointConfig(string Path, Chronos2CoreConfig Core, Chronos2ForecastingConfig Forecasting)
{
    public const string Architecture = "Chronos2Model";

    public static Chronos2CheckpointConfig Read(string path) => From(ChronosCheckpointConfig.Read(path));

    public static Chronos2CheckpointConfig From(ChronosCheckpointConfig checkpoint)
    {
        var path = checkpoint.Path;
        if (checkpoint.Chronos2 is not { } settings)
        {
            var architecture = checkpoint.Architectures.Count > 0 ? checkpoint.Architectures[0] : "";
            throw new CheckpointConfigException(path,
                $"architectures[0] is '{architecture}', not '{Architecture}'; load Chronos-T5/Bolt checkpoints with ChronosPretrained.");
        }

        var core = new Chronos2CoreConfig
        {
            DModel = checkpoint.DModel,
            DKv = checkpoint.DKv,
            DFf = checkpoint.DFf,
            NumLayers = checkpoint.NumLayers,
            NumHeads = checkpoint.NumHeads,
            DropoutRate = checkpoint.DropoutRate,
            LayerNormEpsilon = checkpoint.LayerNormEpsilon,
            FeedForwardProj = checkpoint.FeedForwardProj,
            // chronos2/config.py Chronos2CoreConfig: rope_theta = 10000.0 by default.
            RopeTheta = checkpoint.RopeTheta ?? 10000.0,
        };
        var forecasting = new Chronos2ForecastingConfig
        {
            ContextLength = settings.ContextLength,
            InputPatchSize = settings.InputPatchSize,
            InputPatchStride = settings.InputPatchStride,
            OutputPatchSize = settings.OutputPatchSize,
            Quantiles = [.. settings.Quantiles.Select(q => (float)q)],
            UseRegToken = settings.UseRegToken,
            UseArcsinh = settings.UseArcsinh,
            MaxOutputPatches = settings.MaxOutputPatches,
            TimeEncodingScale = settings.TimeEncodingScale switch
            {
                null => null,
                double scale when scale == Math.Floor(scale) && Math.Abs(scale) <= int.MaxValue => (int)scale,
                double scale => throw new CheckpointConfigException(path, $"chronos_config.time_encoding_scale is {scale}, expected an integer."),
            },
        };
        ChronosModelConfig.Validated(path, core.Validate);
        ChronosModelConfig.Validated(path, forecasting.Validate);
        return new Chronos2CheckpointConfig(path, core, forecasting);
    }
}
