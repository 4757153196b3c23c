namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// A checkpoint in object storage (<c>s3://bucket/prefix</c>), copied once through the registered
/// <see cref="ICheckpointObjectStore"/> into <c>{cache}/{scheme}/{bucket}/{prefix}</c>; a marker file written after
/// a complete copy makes later resolutions local.
/// </summary>
public sealed class ObjectStoreCheckpointSource(ICheckpointObjectStore store, string cacheFolder) : ICheckpointSource
{
    private const string CompleteMarker = ".forecast-download-complete";

    public bool CanResolve(string reference) =>
        Uri.TryCreate(reference, UriKind.Absolute, out var uri) && store.Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);

    public async Task<string> ResolveAsync(string reference, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(reference);
        var relative = string.Join(Path.DirectorySeparatorChar,
            new[] { uri.Scheme, uri.Host }.Concat(uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)));
        if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is ".." or "."))
            throw new ArgumentException($"{reference}: '.' and '..' are not allowed in a checkpoint URI.", nameof(reference));
        var target = Path.Combine(cacheFolder, relative);
        if (File.Exists(Path.Combine(target, CompleteMarker)))
            return target;
        Directory.CreateDirectory(target);
        await store.DownloadFolderAsync(uri, target, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(Path.Combine(target, ChronosCheckpointConfig.FileName)))
            throw new FileNotFoundException(
                $"{reference}: no {ChronosCheckpointConfig.FileName} under this prefix; point at the folder that save_pretrained wrote.",
                Path.Combine(target, ChronosCheckpointConfig.FileName));
        await File.WriteAllTextAsync(Path.Combine(target, CompleteMarker), reference, cancellationToken).ConfigureAwait(false);
        return target;
    }
}
