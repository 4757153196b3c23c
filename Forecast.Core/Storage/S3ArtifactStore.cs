using System.Runtime.CompilerServices;
using Forecast.Core.Artifacts;

namespace Forecast.Core.Storage;

/// <summary>
/// An <see cref="IArtifactStore"/> on S3: key k lives at &lt;root&gt;/k, e.g. run.output = s3://forecast/prod gives
/// s3://forecast/prod/runs/&lt;run-id&gt;/manifest.json. Each put is one PutObject or one multipart upload, both of
/// which S3 makes visible only when complete, so <see cref="RunWriter"/>'s "files first, manifest last" commit holds
/// without renames: a run that died before its manifest is invisible to <see cref="RunCatalog"/>.
/// Failures surface as <see cref="ArtifactStoreException"/> (the pipeline's contract) whose inner
/// <see cref="S3StorageException"/> says which kind (bucket, access, endpoint) and whose Location is the s3:// URI.
/// </summary>
public sealed class S3ArtifactStore(S3ObjectStorage storage, S3Uri root) : IArtifactStore
{
    public S3Uri Root { get; } = root;

    public string Describe(string key) => UriOf(key).ToString();

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        try
        {
            await storage.UploadAsync(uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (S3StorageException e)
        {
            throw Wrap(e);
        }
    }

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        try
        {
            await storage.UploadFileAsync(uri, path, cancellationToken).ConfigureAwait(false);
            File.Delete(path);
        }
        catch (S3StorageException e)
        {
            throw Wrap(e);
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        try
        {
            return await storage.OpenReadAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (S3StorageException e) when (e.Failure == S3Failure.ObjectNotFound)
        {
            return null;
        }
        catch (S3StorageException e)
        {
            throw Wrap(e);
        }
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        try
        {
            return await storage.TryReadAllBytesAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (S3StorageException e)
        {
            throw Wrap(e);
        }
    }

    public async Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        try
        {
            return await storage.TryGetSizeAsync(uri, cancellationToken).ConfigureAwait(false) is { } size ? new ArtifactInfo(key, size) : null;
        }
        catch (S3StorageException e)
        {
            throw Wrap(e);
        }
    }

    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var listing = storage.ListAsync(new S3Uri(Root.Bucket, Root.KeyPrefix + prefix), cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ArtifactInfo item;
                try
                {
                    if (!await listing.MoveNextAsync().ConfigureAwait(false)) yield break;
                    item = new ArtifactInfo(listing.Current.Key[Root.KeyPrefix.Length..], listing.Current.Size ?? 0);
                }
                catch (S3StorageException e)
                {
                    throw Wrap(e);
                }
                // S3 lists keys in UTF-8 binary order, which is the ordinal order the interface promises.
                yield return item;
            }
        }
        finally
        {
            await listing.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
            throw new ArgumentException($"A folder prefix ends with '/'; got '{prefix}'.", nameof(prefix));
        var listing = storage.ListFoldersAsync(new S3Uri(Root.Bucket, Root.KeyPrefix + prefix), cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                string folder;
                try
                {
                    if (!await listing.MoveNextAsync().ConfigureAwait(false)) yield break;
                    folder = listing.Current[Root.KeyPrefix.Length..];
                }
                catch (S3StorageException e)
                {
                    throw Wrap(e);
                }
                yield return folder;
            }
        }
        finally
        {
            await listing.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        try
        {
            await storage.DeleteAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (S3StorageException e)
        {
            throw Wrap(e);
        }
    }

    private S3Uri UriOf(string key)
    {
        ArtifactKey.Validate(key);
        return new S3Uri(Root.Bucket, Root.KeyPrefix + key);
    }

    private static ArtifactStoreException Wrap(S3StorageException e) => new(e.Message, e.Uri.ToString(), e);
}
