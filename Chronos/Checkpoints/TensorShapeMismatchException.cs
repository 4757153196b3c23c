namespace Forecast.Chronos.Checkpoints;

/// <summary>A checkpoint tensor whose shape is not the one the model expects.</summary>
public sealed class TensorShapeMismatchException : CheckpointException
{
    public TensorShapeMismatchException(string path, string tensorName, IReadOnlyList<long> expected, IReadOnlyList<long> actual)
        : base(path, $"tensor '{tensorName}' has shape [{string.Join(", ", actual)}] but [{string.Join(", ", expected)}] "
            + "is expected; check d_model, d_ff, d_kv, num_heads and vocab_size in config.json against the weights.")
    {
        TensorName = tensorName;
        Expected = expected;
        Actual = actual;
    }

    public string TensorName { get; }

    public IReadOnlyList<long> Expected { get; }

    public IReadOnlyList<long> Actual { get; }
}
