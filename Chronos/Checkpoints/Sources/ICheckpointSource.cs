namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Turns a checkpoint reference (a folder, a hub id such as <c>amazon/chronos-bolt-small</c>, an <c>s3://</c> URI)
/// into a local folder holding config.json and the safetensors weights.
/// </summary>
public interface ICheckpointSource
{
    /// <summary>Whether this source understands <paramref name="reference"/> (by its form, without I/O over the network).</summary>
    bool CanResolve(string reference);

    /// <summary>The local folder of <paramref name="reference"/>, downloading it first when needed.</summary>
    Task<string> ResolveAsync(string reference, CancellationToken cancellationToken = default);
}
