namespace Forecast.Core.Artifacts;

/// <summary>An object of an <see cref="IArtifactStore"/>: its key and size in bytes.</summary>
public sealed record ArtifactInfo(string Key, long Size);
