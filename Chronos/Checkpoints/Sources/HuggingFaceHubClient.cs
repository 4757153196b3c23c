using System.Net;
using System.Net.Http.Headers;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Downloads single files of a hub model repository into the Hugging Face cache layout, as huggingface_hub's
/// hf_hub_download does: HEAD for commit / ETag / size, GET of the blob into <c>blobs/{etag}.incomplete</c> resumed
/// with Range requests after a dropped connection, size and hash checked before the blob is moved into place,
/// <c>snapshots/{commit}/{file}</c> linked to it and <c>refs/{revision}</c> recorded. Offline mode and network
/// failures fall back to the cache. The bearer token is sent to the endpoint's host only, never logged.
/// </summary>
public sealed class HuggingFaceHubClient : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient http;
    private readonly bool ownsHttp;

    public HuggingFaceHubClient(HuggingFaceHubOptions options, HttpMessageHandler? handler = null)
    {
        Options = options;
        // Redirects are followed by hand: HEAD must not follow the LFS redirect (its headers carry the metadata), and
        // the token must not travel to another host (the CDN).
        http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None },
            disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        ownsHttp = true;
    }

    public HuggingFaceHubOptions Options { get; }

    public HuggingFaceCacheLayout Layout(string repoId) => new(Options.CacheDirectory, repoId);

    /// <summary>The resolve URL of a file (huggingface_hub hf_hub_url: revision and file quoted, '/' kept in the file path).</summary>
    public Uri FileUrl(string repoId, string file, string revision) =>
        new($"{Options.Endpoint.AbsoluteUri.TrimEnd('/')}/{repoId}/resolve/{Uri.EscapeDataString(revision)}/"
            + string.Join('/', file.Split('/').Select(Uri.EscapeDataString)));

    /// <summary>Downloads (or finds in the cache) <paramref name="file"/>; returns its snapshot path.</summary>
    public async Task<string> DownloadFileAsync(string repoId, string file, string revision = "main", CancellationToken cancellationToken = default) =>
        await TryDownloadFileAsync(repoId, file, revision, cancellationToken).ConfigureAwait(false)
        ?? throw new HubDownloadException(FileUrl(repoId, file, revision).AbsoluteUri, HubProblem.EntryNotFound,
            $"'{file}' is not in {repoId} at revision '{revision}'.", 404);

    /// <summary>As <see cref="DownloadFileAsync"/>, but null when the repository has no such file (404 EntryNotFound, or absent from an offline cache).</summary>
    public async Task<string?> TryDownloadFileAsync(string repoId, string file, string revision = "main", CancellationToken cancellationToken = default)
    {
        if (file.Length == 0 || Path.IsPathRooted(file) || file.Split('/').Any(part => part is "" or "." or ".." || part.Contains('\\')))
            throw new ArgumentException($"'{file}' is not a relative file path inside a repository.", nameof(file));
        if (revision.Length == 0 || revision.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"'{revision}' is not a branch, tag or commit.", nameof(revision));
        var layout = Layout(repoId);
        var url = FileUrl(repoId, file, revision);
        if (HuggingFaceCacheLayout.IsCommitHash(revision) && File.Exists(layout.SnapshotFile(revision, file)))
            return layout.SnapshotFile(revision, file);
        if (HuggingFaceCacheLayout.IsCommitHash(revision) && File.Exists(layout.NoExistMarker(revision, file)))
            return null;
        if (Options.Offline)
            return FromCache(layout, file, revision, url, offline: true);

        HubFileMetadata? metadata;
        string? missingAt;
        try
        {
            (metadata, missingAt) = await HeadAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException error) when (error.StatusCode is null && layout.CachedCommit(revision) is { } commit
                                                 && File.Exists(layout.SnapshotFile(commit, file)))
        {
            // huggingface_hub: on a connection error, a cached file of the same revision is used.
            return layout.SnapshotFile(commit, file);
        }
        if (metadata is null)
        {
            if (missingAt is not null)
            {
                var marker = layout.NoExistMarker(missingAt, file);
                Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
                await File.WriteAllBytesAsync(marker, [], cancellationToken).ConfigureAwait(false);
                await WriteRefAsync(layout, revision, missingAt, cancellationToken).ConfigureAwait(false);
            }
            return null;
        }

        var snapshot = layout.SnapshotFile(metadata.Commit, file);
        var blob = layout.Blob(metadata.ETag);
        if (!File.Exists(blob) || new FileInfo(blob).Length != metadata.Size)
        {
            // One writer per blob across processes (jobs sharing a cache volume), as huggingface_hub's FileLock.
            using var blobLock = await CacheFileLock.AcquireAsync(layout.BlobLock(metadata.ETag), cancellationToken).ConfigureAwait(false);
            if (!File.Exists(blob) || new FileInfo(blob).Length != metadata.Size)
                await DownloadBlobAsync(layout, metadata, url, file, cancellationToken).ConfigureAwait(false);
        }
        LinkSnapshot(snapshot, blob);
        await WriteRefAsync(layout, revision, metadata.Commit, cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    private static async Task WriteRefAsync(HuggingFaceCacheLayout layout, string revision, string commit, CancellationToken cancellationToken)
    {
        if (revision == commit)
            return;
        var reference = layout.Ref(revision);
        Directory.CreateDirectory(Path.GetDirectoryName(reference)!);
        var temporary = reference + ".tmp-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(temporary, commit, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, reference, overwrite: true);
    }

    /// <summary>The cached snapshot file of <paramref name="revision"/>, or null / an offline error.</summary>
    private static string? FromCache(HuggingFaceCacheLayout layout, string file, string revision, Uri url, bool offline)
    {
        var commit = layout.CachedCommit(revision);
        if (commit is not null && File.Exists(layout.SnapshotFile(commit, file)))
            return layout.SnapshotFile(commit, file);
        if (commit is not null && File.Exists(layout.NoExistMarker(commit, file)))
            return null; // known to be absent from the repository at this commit
        throw new HubDownloadException(url.AbsoluteUri, HubProblem.NotInOfflineCache,
            $"HF_HUB_OFFLINE is set and '{file}' of {layout.RepoId}@{revision} is not in the cache {layout.RepoFolder}; "
            + "download it once with network access (or unset HF_HUB_OFFLINE).");
    }

    /// <summary>HEAD of the resolve URL (relative redirects followed, as for renamed repositories); null on EntryNotFound.</summary>
    public async Task<HubFileMetadata?> GetMetadataAsync(Uri url, CancellationToken cancellationToken = default) =>
        (await HeadAsync(url, cancellationToken).ConfigureAwait(false)).Metadata;

    /// <summary>The file's metadata, or (null, the commit the hub named) when the file does not exist.</summary>
    private async Task<(HubFileMetadata? Metadata, string? MissingAtCommit)> HeadAsync(Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = NewRequest(HttpMethod.Head, current, withToken: true);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location && !location.IsAbsoluteUri && hop < MaxRedirects)
            {
                current = new Uri(current, location);
                continue;
            }
            if (status >= 400)
            {
                var failure = Failure(url, response);
                if (failure.Problem == HubProblem.EntryNotFound)
                    return (null, Header(response, "X-Repo-Commit"));
                throw failure;
            }
            var commit = Header(response, "X-Repo-Commit");
            var etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header(response, "ETag");
            var sizeText = Header(response, "X-Linked-Size");
            long? size = sizeText is not null && long.TryParse(sizeText, out var linked) ? linked : response.Content.Headers.ContentLength;
            if (commit is null || etag is null || size is null)
                throw new HubDownloadException(url.AbsoluteUri, HubProblem.Transfer,
                    "the server did not send X-Repo-Commit, an ETag and a size; is HF_ENDPOINT a Hugging Face hub (or a mirror of one)?", status);
            var target = status is >= 300 and < 400 && response.Headers.Location is { } cdn ? new Uri(current, cdn) : current;
            return (new HubFileMetadata(commit, NormalizeETag(etag), size.Value, target), null);
        }
    }

    private async Task DownloadBlobAsync(HuggingFaceCacheLayout layout, HubFileMetadata metadata, Uri url, string file,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(layout.BlobsFolder);
        var incomplete = layout.IncompleteBlob(metadata.ETag);
        Exception? lastError = null;
        for (var attempt = 0; attempt <= Options.MaxResumeAttempts; attempt++)
        {
            var have = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
            if (have > metadata.Size)
            {
                File.Delete(incomplete);
                have = 0;
            }
            if (have == metadata.Size)
                break;
            try
            {
                var progress = Options.Progress is { } sink
                    ? new Action<long>(bytes => sink.Report(new HubDownloadProgress(layout.RepoId, file, bytes, metadata.Size)))
                    : null;
                await GetRangeAsync(metadata.Location, incomplete, have, url, progress, cancellationToken).ConfigureAwait(false);
                lastError = null;
                break; // the server ended the response normally: whatever arrived is checked below
            }
            catch (Exception error) when (error is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // A dropped connection or a transient server error: the next attempt resumes from what reached the
                // disk, after a short back-off (0.5 s, 1 s, 1.5 s, ...).
                lastError = error;
                if (attempt < Options.MaxResumeAttempts)
                    await Task.Delay(TimeSpan.FromMilliseconds(500 * (attempt + 1)), cancellationToken).ConfigureAwait(false);
            }
        }
        if (lastError is not null)
            throw new HubDownloadException(url.AbsoluteUri, HubProblem.Transfer,
                $"the download failed {Options.MaxResumeAttempts + 1} times (connection dropped or server busy: {lastError.Message}); the partial file {incomplete} is kept and resumed next time.",
                inner: lastError);
        Verify(incomplete, metadata, url);
        File.Move(incomplete, layout.Blob(metadata.ETag), overwrite: true);
    }

    /// <summary>One GET from byte <paramref name="offset"/> (Range) appended to <paramref name="path"/>; redirects followed.</summary>
    private async Task GetRangeAsync(Uri location, string path, long offset, Uri url, Action<long>? progress,
        CancellationToken cancellationToken)
    {
        var current = location;
        for (var hop = 0; ; hop++)
        {
            // The token goes to the resolve URL only, never to a redirect target (the LFS CDN).
            using var request = NewRequest(HttpMethod.Get, current, withToken: hop == 0 && current == url);
            if (offset > 0)
                request.Headers.Range = new RangeHeaderValue(offset, null);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } next && hop < MaxRedirects)
            {
                current = new Uri(current, next);
                continue;
            }
            if (status == 416)
            {
                // The server has no bytes past our offset for this blob: start over.
                File.Delete(path);
                throw new IOException("range not satisfiable; restarting the download");
            }
            if (status is 429 or 500 or 502 or 503 or 504)
                throw new IOException($"HTTP {status} from {current.Host}; retrying"); // transient: resumed by the caller's loop
            if (status >= 400)
                throw Failure(url, response);
            var append = status == 206 && response.Content.Headers.ContentRange?.From == offset;
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var target = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            var buffer = new byte[1 << 20];
            var written = append ? offset : 0;
            var reported = written;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                written += read;
                if (progress is not null && written - reported >= 4 << 20)
                {
                    await target.FlushAsync(cancellationToken).ConfigureAwait(false);
                    progress(reported = written);
                }
            }
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            progress?.Invoke(written);
            return;
        }
    }

    private static void Verify(string path, HubFileMetadata metadata, Uri url)
    {
        var length = new FileInfo(path).Length;
        if (length != metadata.Size)
        {
            File.Delete(path);
            throw new HubDownloadException(url.AbsoluteUri, HubProblem.IntegrityMismatch,
                $"downloaded {length} bytes but the hub announced {metadata.Size}; the partial file was removed, retry the download.");
        }
        var actual = BlobHashes.Compute(path, metadata.ETag);
        if (actual is not null && !string.Equals(actual, metadata.ETag, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(path);
            throw new HubDownloadException(url.AbsoluteUri, HubProblem.IntegrityMismatch,
                $"the downloaded content hashes to {actual} but the hub's ETag is {metadata.ETag}; the file was removed, retry the download.");
        }
    }

    private static void LinkSnapshot(string snapshot, string blob)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
        var temporary = snapshot + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            // Relative, as huggingface_hub _create_symlink (the cache folder can be moved); created aside and renamed
            // over the snapshot entry so concurrent resolvers never see a half-made link.
            File.CreateSymbolicLink(temporary, Path.GetRelativePath(Path.GetDirectoryName(snapshot)!, blob));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            File.Copy(blob, temporary, overwrite: true);
        }
        File.Move(temporary, snapshot, overwrite: true);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri url, bool withToken)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Forecast.Chronos", "1.0"));
        if (withToken && Options.Token is { } token && string.Equals(url.Host, Options.Endpoint.Host, StringComparison.OrdinalIgnoreCase)
                                       && url.Port == Options.Endpoint.Port)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private HubDownloadException Failure(Uri url, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var code = Header(response, "X-Error-Code");
        var serverMessage = Header(response, "X-Error-Message");
        var detail = serverMessage is null ? "" : $" (hub: {serverMessage})";
        var tokenHint = Options.Token is null
            ? "no token was sent: set HF_TOKEN for a private or gated repository"
            : "the token in HF_TOKEN was sent but has no access to it (check the repository's access page)";
        return code switch
        {
            "RepoNotFound" => new HubDownloadException(url.AbsoluteUri, HubProblem.RepositoryNotFound,
                $"repository not found{detail}; check the id (owner/name)" + (status == 401 ? $", or it is private and {tokenHint}." : "."), status),
            "RevisionNotFound" => new HubDownloadException(url.AbsoluteUri, HubProblem.RevisionNotFound,
                $"revision not found{detail}; use a branch, tag or full commit hash of the repository.", status),
            "EntryNotFound" => new HubDownloadException(url.AbsoluteUri, HubProblem.EntryNotFound, $"file not found in the repository{detail}.", status),
            _ when status is 401 or 403 || code == "GatedRepo" => new HubDownloadException(url.AbsoluteUri, HubProblem.Unauthorized,
                $"HTTP {status}: access denied{detail}; {tokenHint}.", status),
            _ when status == 404 => new HubDownloadException(url.AbsoluteUri, HubProblem.RepositoryNotFound,
                $"HTTP 404{detail}: no such repository or file at this endpoint ({Options.Endpoint}).", status),
            _ => new HubDownloadException(url.AbsoluteUri, HubProblem.Transfer, $"HTTP {status}{detail}.", status),
        };
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    /// <summary>huggingface_hub _normalize_etag: drop a weak "W/" prefix and the quotes.</summary>
    private static string NormalizeETag(string etag)
    {
        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        return value.Trim('"');
    }

    public void Dispose()
    {
        if (ownsHttp)
            http.Dispose();
    }
}
