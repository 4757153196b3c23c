using Forecast.Chronos.Checkpoints;
using Forecast.Core.Storage;

namespace Forecast.Trainer.Models;

/// <summary>
/// Chronos's object-store interface over the platform's S3 storage (Forecast.Core.Storage): copies every object
/// under an s3://bucket/prefix/ checkpoint into a local folder, keeping relative paths, so
/// <see cref="CheckpointResolver"/> can load it like any folder. The S3 client is only made when an s3:// checkpoint
/// is actually resolved.
/// </summary>
public sealed class S3CheckpointObjectStore(StorageLocations locations) : ICheckpointObjectStore
{
    public IReadOnlyCollection<string> Schemes { get; } = ["s3"];

    public async Task DownloadFolderAsync(Uri source, string targetFolder, CancellationToken cancellationToken)
    {
        var prefix = S3Uri.Parse(source.OriginalString);
        var folder = new S3Uri(prefix.Bucket, prefix.KeyPrefix);
        int copied = 0;
        await foreach (var item in locations.S3.ListAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            string relative = item.Key[folder.Key.Length..];
            if (relative.Length == 0 || relative.EndsWith('/')) continue; // folder markers
            string target = Path.Combine(targetFolder, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using var input = await locations.S3.OpenReadAsync(new S3Uri(prefix.Bucket, item.Key), cancellationToken).ConfigureAwait(false);
            await using var output = File.Create(target);
            await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            copied++;
        }
        if (copied == 0)
            throw new DirectoryNotFoundException($"model.chronos.checkpoint: no objects under {source}; upload the checkpoint folder (config.json + model.safetensors) there.");
    }
}
