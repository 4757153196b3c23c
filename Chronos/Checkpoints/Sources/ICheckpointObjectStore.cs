namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Object storage a checkpoint can live in (e.g. S3). The platform's storage layer implements it and registers it
/// with <see cref="CheckpointResolver.RegisterObjectStore"/>; this library has no cloud SDK dependency.
/// </summary>
public interface ICheckpointObjectStore
{
    /// <summary>The URI schemes served, e.g. "s3".</summary>
    IReadOnlyCollection<string> Schemes { get; }

    /// <summary>
    /// Copies every object under <paramref name="source"/> (a "folder" prefix such as s3://bucket/models/bolt/) into
    /// <paramref name="targetFolder"/>, keeping relative paths. Called only when the target is not already complete.
    /// </summary>
    Task DownloadFolderAsync(Uri source, string targetFolder, CancellationToken cancellationToken);
}
