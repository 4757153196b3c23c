namespace Forecast.Core.Artifacts;

/// <summary>
/// Where runs are written: a flat key space of immutable objects, the common ground of a local folder and an object
/// store such as S3 (put, get, list by prefix, delete; no rename, no append). Keys use '/' separators, e.g.
/// "runs/20260101T000000Z-default-1a2b3c/metrics.yaml". A put is atomic: readers see the whole object or none.
/// </summary>
public interface IArtifactStore
{
    /// <summary>A human-readable location of <paramref name="key"/> for logs and errors (a path or an s3:// URI).</summary>
    string Describe(string key);

    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts the content of the local file <paramref name="path"/> as <paramref name="key"/> without holding it in memory
    /// (files of several GB: a merged run of a million series). The file is consumed: it may be moved into the store.
    /// </summary>
    Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default);

    /// <summary>The bytes of <paramref name="key"/>, or null when it does not exist.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The key and size of <paramref name="key"/>, or null when it does not exist (S3 HeadObject: no body is read).</summary>
    Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="key"/> opened for reading (seekable, without holding it in memory), or null when it does not
    /// exist; the caller disposes it.
    /// </summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in ordinal key order.</summary>
    IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// The folders directly under <paramref name="prefix"/> (which ends with '/'), each as a key prefix ending with '/',
    /// in ordinal order: "runs/" gives "runs/&lt;run-id&gt;/" once per run however many files it holds (S3
    /// ListObjectsV2 with Delimiter "/", its CommonPrefixes; a local folder's subfolders).
    /// </summary>
    IAsyncEnumerable<string> ListFoldersAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/>; deleting a missing key is not an error (as S3 DeleteObject).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
