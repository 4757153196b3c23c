using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Inference;
using static TorchSharp.torch;

namespace Forecast.Chronos;

/// <summary>How <see cref="Chronos.FromPretrained"/> finds and loads a checkpoint.</summary>
public sealed record ChronosLoadOptions
{
    /// <summary>
    /// float32 (default, as from_pretrained without torch_dtype) or the opt-in bfloat16 path: the linear layers of the
    /// T5 stacks (Bolt), the encoder (Chronos-2) or the whole model (Chronos-T5) in bfloat16.
    /// </summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    /// <summary>Backend and process-wide tunings of the pipeline's inference calls.</summary>
    public ChronosInferenceOptions Inference { get; init; } = new();

    /// <summary>Hub endpoint, token, cache folder and offline mode; null reads the standard HF_* environment variables.</summary>
    public HuggingFaceHubOptions? Hub { get; init; }

    /// <summary>Serves <c>s3://</c> (or other schemes') checkpoint prefixes; without one such references are an error naming the fix.</summary>
    public ICheckpointObjectStore? ObjectStore { get; init; }
}
