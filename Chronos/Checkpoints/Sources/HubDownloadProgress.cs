namespace Forecast.Chronos.Checkpoints;

/// <summary>Progress of one file download: bytes on disk so far (a resumed download starts above 0) out of the total.</summary>
public sealed record HubDownloadProgress(string RepoId, string File, long Bytes, long TotalBytes);
