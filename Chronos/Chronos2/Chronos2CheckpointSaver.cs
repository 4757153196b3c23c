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
        var config = ChronosCheckpointConfig.ForChronos2(model.Config, model.ChronosConfig);
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
