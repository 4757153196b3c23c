using Forecast.Core.Artifacts;

namespace Forecast.Core.Storage;

/// <summary>
/// Opens what a config names — a local path or an s3:// URI — for reading (config files, input data, checkpoints) or
/// as the run output. The S3 client is made on first use only, so a fully local run never looks for AWS credentials.
/// </summary>
public sealed class StorageLocations(Func<S3ObjectStorage> createS3) : IDisposable
{
    private readonly Lazy<S3ObjectStorage> _s3 = new(createS3);

    /// <summary>Locations for local paths and for S3 configured by <paramref name="options"/> (credentials from the standard chain).</summary>
    public StorageLocations(S3StorageOptions options) : this(() => S3ObjectStorage.Create(options)) { }

    public S3ObjectStorage S3 => _s3.Value;

    /// <summary>A seekable stream of the file or object; local paths open directly, S3 objects are downloaded first.</summary>
    public async Task<Stream> OpenReadAsync(string location, CancellationToken cancellationToken = default) =>
        S3Uri.IsS3(location)
            ? await S3.OpenReadAsync(S3Uri.Parse(location), cancellationToken).ConfigureAwait(false)
            : new FileStream(location, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);

    public async Task<string> ReadAllTextAsync(string location, CancellationToken cancellationToken = default)
    {
        if (!S3Uri.IsS3(location)) return await File.ReadAllTextAsync(location, cancellationToken).ConfigureAwait(false);
        var bytes = await S3.ReadAllBytesAsync(S3Uri.Parse(location), cancellationToken).ConfigureAwait(false);
        return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes).TrimStart('\uFEFF');
    }

    /// <summary>The artifact store for a run output: <see cref="S3ArtifactStore"/> for s3://, else a local folder.</summary>
    public IArtifactStore OpenArtifactStore(string output) =>
        S3Uri.IsS3(output) ? new S3ArtifactStore(S3, S3Uri.Parse(output)) : new LocalFolderArtifactStore(output);

    public void Dispose()
    {
        if (_s3.IsValueCreated) _s3.Value.Dispose();
    }
}
