namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Base of every error about a checkpoint's files (safetensors, index, config.json, download): the message names the
/// file and, where there is one, the tensor or field, and says what would fix it.
/// </summary>
public abstract class CheckpointException : Exception
{
    protected CheckpointException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner)
    {
        Path = path;
    }

    /// <summary>The file (or URL / folder) the error is about.</summary>
    public string Path { get; }
}
