namespace Forecast.Chronos.Checkpoints;

/// <summary>A config.json / index file that is not valid JSON or has a field of the wrong kind (named in the message).</summary>
public sealed class CheckpointConfigException : CheckpointException
{
    public CheckpointConfigException(string path, string message, Exception? inner = null)
        : base(path, message, inner)
    {
    }
}
