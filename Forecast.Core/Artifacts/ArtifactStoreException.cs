namespace Forecast.Core.Artifacts;

/// <summary>The artifact store cannot be written or read (folder not writable, disk full, ...); names the location.</summary>
public sealed class ArtifactStoreException(string message, string location, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The path or URI that failed.</summary>
    public string Location { get; } = location;
}
