using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace Forecast.Core.Storage;

/// <summary>
/// The S3 operations the pipeline needs, on s3:// URIs: read an object (config files, input data, checkpoints), upload
/// one (multipart through TransferUtility above <see cref="S3StorageOptions.MultipartThresholdBytes"/>), list a
/// prefix, delete, create a bucket. Every call retries transient failures (<see cref="S3Retry"/>) and fails with an
/// <see cref="S3StorageException"/> naming the URI.
/// </summary>
public sealed class S3ObjectStorage : IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3StorageOptions _options;
    private readonly S3Retry _retry;
    private readonly TransferUtility _transfer;

    public S3ObjectStorage(IAmazonS3 client, S3StorageOptions options, bool ownsClient = false)
    {
        options.Validate();
        _client = client;
        _options = options;
        _ownsClient = ownsClient;
        _retry = new S3Retry(options);
        _transfer = new TransferUtility(client, new TransferUtilityConfig { MinSizeBeforePartUpload = options.MultipartThresholdBytes });
    }

    /// <summary>A storage with its own client from <see cref="S3ClientFactory"/> (credentials from the standard chain).</summary>
    public static S3ObjectStorage Create(S3StorageOptions options, Amazon.Runtime.AWSCredentials? credentials = null) =>
        new(S3ClientFactory.Create(options, credentials), options, ownsClient: true);

    public S3StorageOptions Options => _options;

    /// <summary>The bytes of <paramref name="uri"/>; throws <see cref="S3Failure.ObjectNotFound"/> when it does not exist.</summary>
    public async Task<byte[]> ReadAllBytesAsync(S3Uri uri, CancellationToken cancellationToken = default) =>
        await TryReadAllBytesAsync(uri, cancellationToken).ConfigureAwait(false) ?? throw S3Errors.ObjectNotFound(uri, "read");

    /// <summary>The bytes of <paramref name="uri"/>, or null when the object does not exist (a missing bucket still throws).</summary>
    public Task<byte[]?> TryReadAllBytesAsync(S3Uri uri, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync<byte[]?>(async ct =>
        {
            try
            {
                using var response = await _client.GetObjectAsync(uri.Bucket, uri.Key, ct).ConfigureAwait(false);
                var buffer = new MemoryStream(response.ContentLength > 0 ? (int)Math.Min(response.ContentLength, int.MaxValue) : 0);
                await response.ResponseStream.CopyToAsync(buffer, ct).ConfigureAwait(false);
                return buffer.ToArray();
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
            {
                return null;
            }
        }, e => Translate(e, uri, "read"), cancellationToken);

    /// <summary>
    /// The size of <paramref name="uri"/> (HeadObject: no body), or null when it does not exist. A HEAD answer has no
    /// body, so S3 cannot say whether the key or the bucket is missing: both are null here (listings name the bucket).
    /// </summary>
    public Task<long?> TryGetSizeAsync(S3Uri uri, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync<long?>(async ct =>
        {
            try
            {
                var response = await _client.GetObjectMetadataAsync(uri.Bucket, uri.Key, ct).ConfigureAwait(false);
                return response.ContentLength;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        }, e => Translate(e, uri, "read"), cancellationToken);

    /// <summary>
    /// Downloads <paramref name="uri"/> into a temporary file and returns it opened for reading, seekable (Parquet needs
    /// that) and deleted when disposed. A large input never has to fit in memory, and a retry restarts the download.
    /// </summary>
    public Task<Stream> OpenReadAsync(S3Uri uri, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync<Stream>(async ct =>
        {
            string temporary = Path.Combine(Path.GetTempPath(), $"forecast-s3-{Guid.NewGuid():N}.download");
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            try
            {
                using var response = await _client.GetObjectAsync(uri.Bucket, uri.Key, ct).ConfigureAwait(false);
                await response.ResponseStream.CopyToAsync(file, ct).ConfigureAwait(false);
                if (response.ContentLength >= 0 && file.Length != response.ContentLength)
                    throw new IOException($"Download of {uri} ended after {file.Length} of {response.ContentLength} bytes.");
                file.Position = 0;
                return file;
            }
            catch
            {
                await file.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }, e => Translate(e, uri, "read"), cancellationToken);

    /// <summary>Uploads <paramref name="content"/> as <paramref name="uri"/>; the object appears whole or not at all.</summary>
    public Task UploadAsync(S3Uri uri, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync(async ct =>
        {
            using var body = AsStream(content);
            if (content.Length < _options.MultipartThresholdBytes)
            {
                await _client.PutObjectAsync(new PutObjectRequest { BucketName = uri.Bucket, Key = uri.Key, InputStream = body, AutoCloseStream = false }, ct)
                    .ConfigureAwait(false);
                return;
            }
            await _transfer.UploadAsync(new TransferUtilityUploadRequest
            {
                BucketName = uri.Bucket,
                Key = uri.Key,
                InputStream = body,
                PartSize = _options.PartSizeBytes,
                AutoCloseStream = false,
            }, ct).ConfigureAwait(false);
        }, e => Translate(e, uri, "write"), cancellationToken);

    /// <summary>Uploads the local file <paramref name="path"/> as <paramref name="uri"/>, multipart above the threshold, streamed from disk.</summary>
    public Task UploadFileAsync(S3Uri uri, string path, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync(async ct =>
        {
            long length = new FileInfo(path).Length;
            if (length < _options.MultipartThresholdBytes)
            {
                await _client.PutObjectAsync(new PutObjectRequest { BucketName = uri.Bucket, Key = uri.Key, FilePath = path }, ct).ConfigureAwait(false);
                return;
            }
            await _transfer.UploadAsync(new TransferUtilityUploadRequest
            {
                BucketName = uri.Bucket,
                Key = uri.Key,
                FilePath = path,
                PartSize = _options.PartSizeBytes,
            }, ct).ConfigureAwait(false);
        }, e => Translate(e, uri, "write"), cancellationToken);

    /// <summary>Every object under <paramref name="prefix"/> (its key taken as a raw prefix), in S3's key order.</summary>
    public async IAsyncEnumerable<S3Object> ListAsync(S3Uri prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? continuation = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = prefix.Bucket, Prefix = prefix.Key, ContinuationToken = continuation, MaxKeys = _options.ListPageSize };
            var page = await _retry.ExecuteAsync(ct => _client.ListObjectsV2Async(request, ct), e => Translate(e, prefix, "list"), cancellationToken)
                .ConfigureAwait(false);
            // SDK 4 leaves S3Objects null (not empty) when nothing matches.
            foreach (var item in page.S3Objects ?? []) yield return item;
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// The common prefixes directly under <paramref name="prefix"/> (ListObjectsV2 with Delimiter "/"), in S3's key
    /// order: one entry per "folder" however many objects it holds, so listing runs/ costs a page per 1,000 runs.
    /// </summary>
    public async IAsyncEnumerable<string> ListFoldersAsync(S3Uri prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? continuation = null;
        do
        {
            var request = new ListObjectsV2Request
            {
                BucketName = prefix.Bucket, Prefix = prefix.Key, Delimiter = "/", ContinuationToken = continuation, MaxKeys = _options.ListPageSize,
            };
            var page = await _retry.ExecuteAsync(ct => _client.ListObjectsV2Async(request, ct), e => Translate(e, prefix, "list"), cancellationToken)
                .ConfigureAwait(false);
            foreach (string folder in page.CommonPrefixes ?? []) yield return folder;
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <summary>Deletes <paramref name="uri"/>; a missing object is not an error (S3 DeleteObject semantics).</summary>
    public Task DeleteAsync(S3Uri uri, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync(ct => _client.DeleteObjectAsync(uri.Bucket, uri.Key, ct), e => Translate(e, uri, "delete"), cancellationToken);

    /// <summary>Creates the bucket of <paramref name="uri"/> unless it exists (what the AppHost does at start).</summary>
    public Task EnsureBucketAsync(S3Uri uri, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync(async ct =>
        {
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = uri.Bucket }, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
            }
        }, e => Translate(e, uri, "create the bucket of"), cancellationToken);

    public void Dispose()
    {
        _transfer.Dispose();
        if (_ownsClient) _client.Dispose();
    }

    private S3StorageException Translate(Exception error, S3Uri uri, string operation) =>
        S3Errors.Translate(error, uri, operation, _options.ServiceUrl);

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
