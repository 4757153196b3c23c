using Forecast.Chronos.Checkpoints;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// save_pretrained for Chronos-2 (pipeline.py: Chronos2Pipeline.save_pretrained): config.json with the
/// Chronos2CoreConfig fields and chronos_config, and model.safetensors (float32), written through the library's
/// checkpoint writer (Chronos/Checkpoints) so that Python's from_pretrained and <see cref="Chronos2Pretrained"/> read it.
/// </summary>
public static class Chronos2CheckpointSaver
{
    public static void Save(Chronos2Model model, string folder)
    {
        var core = model.Config;
        var chronos = model.ChronosConfig;
        var config = new ChronosCheckpointConfig
        {
            Family = ChronosModelFamily.Chronos2,
            Architectures = [Chronos2CheckpointConfig.Architecture],
            ChronosPipelineClass = "Chronos2Pipeline",
            ModelType = "t5",
            VocabSize = chronos.UseRegToken ? 2 : 1,
            DModel = core.DModel,
            DKv = core.DKv,
            DFf = core.DFf,
            NumLayers = core.NumLayers,
            NumDecoderLayers = core.NumLayers,
            NumHeads = core.NumHeads,
            DropoutRate = core.DropoutRate,
            LayerNormEpsilon = core.LayerNormEpsilon,
            FeedForwardProj = core.FeedForwardProj,
            PadTokenId = 0,
            EosTokenId = null,          // config.py pops eos_token_id: unused by Chronos-2
            RegTokenId = chronos.UseRegToken ? chronos.RegTokenId : null,
            RopeTheta = core.RopeTheta,
            TorchDtype = "float32",
            Chronos2 = new Chronos2Settings
            {
                ContextLength = chronos.ContextLength,
                InputPatchSize = chronos.InputPatchSize,
                InputPatchStride = chronos.InputPatchStride,
                OutputPatchSize = chronos.OutputPatchSize,
                // Through decimal, so that 0.1f is written as 0.1 as Python wrote it, not 0.10000000149011612.
                Quantiles = chronos.Quantiles.Select(q => (double)(decimal)q).ToArray(),
                MaxOutputPatches = chronos.MaxOutputPatches,
                UseRegToken = chronos.UseRegToken,
                UseArcsinh = chronos.UseArcsinh,
                TimeEncodingScale = chronos.TimeEncodingScale,
            },
        };
        var stateDict = model.state_dict().ToDictionary(e => e.Key, e => e.Value.to_type(ScalarType.Float32).detach());
        try
        {
            ChronosCheckpointSaver.Save(folder, stateDict, config);
        }
        finally
        {
            foreach (var (name, tensor) in stateDict)
                tensor.Dispose();
        }
    }
}
