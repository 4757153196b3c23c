namespace Forecast.Chronos.Checkpoints;

/// <summary>A tensor the model needs is not in the checkpoint (nor under one of its tied aliases).</summary>
public sealed class MissingTensorException : CheckpointException
{
    public MissingTensorException(string path, string tensorName)
        : base(path, $"tensor '{tensorName}' is not in this checkpoint; the checkpoint does not match the model's "
            + "config.json (architecture, layer counts), or the file is from another model.")
    {
        TensorName = tensorName;
    }

    public string TensorName { get; }
}
