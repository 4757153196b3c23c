namespace Forecast.Chronos.Checkpoints;

/// <summary>A safetensors file that cannot be read as written; <see cref="Problem"/> says which rule it breaks.</summary>
public sealed class SafetensorsFormatException : CheckpointException
{
    public SafetensorsFormatException(string path, SafetensorsProblem problem, string message, string? tensorName = null,
        Exception? inner = null)
        : base(path, message, inner)
    {
        Problem = problem;
        TensorName = tensorName;
    }

    public SafetensorsProblem Problem { get; }

    /// <summary>The tensor the problem was found at, when there is one.</summary>
    public string? TensorName { get; }
}
