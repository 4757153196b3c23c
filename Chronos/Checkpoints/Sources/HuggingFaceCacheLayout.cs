using System.Text.RegularExpressions;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// The Hugging Face cache folder of one model repository (huggingface_hub file_download.py / "Manage cache" docs):
/// <c>{cache}/models--{owner}--{name}/</c> with <c>blobs/{etag}</c> (file contents by ETag: sha256 for LFS files,
/// git blob sha1 for the others), <c>refs/{revision}</c> (the commit a branch or tag pointed at) and
/// <c>snapshots/{commit}/{file}</c> (relative symlinks to the blobs), <c>.no_exist/{commit}/{file}</c> for files
/// known to be absent. Python and this library share the cache.
/// </summary>
public sealed partial class HuggingFaceCacheLayout
{
    public HuggingFaceCacheLayout(string cacheDirectory, string repoId)
    {
        if (!RepoIdPattern().IsMatch(repoId) || repoId.Contains("--", StringComparison.Ordinal) || repoId.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException(
                $"'{repoId}' is not a Hugging Face repo id of the form owner/name (letters, digits, '-', '_', '.').", nameof(repoId));
        RepoId = repoId;
        RepoFolder = Path.Combine(cacheDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));
    }

    public string RepoId { get; }

    public string RepoFolder { get; }

    public string BlobsFolder => Path.Combine(RepoFolder, "blobs");

    public string Blob(string etag) => Path.Combine(BlobsFolder, etag);

    /// <summary>Where a blob is downloaded to before it is complete and verified (resumed from its length).</summary>
    public string IncompleteBlob(string etag) => Blob(etag) + ".incomplete";

    /// <summary>huggingface_hub's lock file of a blob: <c>{cache}/.locks/models--{owner}--{name}/{etag}.lock</c>.</summary>
    public string BlobLock(string etag) =>
        Path.Combine(Path.GetDirectoryName(RepoFolder)!, ".locks", Path.GetFileName(RepoFolder), etag + ".lock");

    public string Ref(string revision) => Path.Combine(RepoFolder, "refs", revision);

    public string SnapshotFolder(string commit) => Path.Combine(RepoFolder, "snapshots", commit);

    public string SnapshotFile(string commit, string file) => Path.Combine(SnapshotFolder(commit), file);

    /// <summary>
    /// huggingface_hub's <c>.no_exist/{commit}/{file}</c>: an empty marker recording that the repository has no such
    /// file at that commit, so optional files are not asked for again.
    /// </summary>
    public string NoExistMarker(string commit, string file) => Path.Combine(RepoFolder, ".no_exist", commit, file);

    /// <summary>The commit of <paramref name="revision"/>: itself when it is a full hash, else refs/{revision} when cached.</summary>
    public string? CachedCommit(string revision)
    {
        if (IsCommitHash(revision))
            return revision;
        var reference = Ref(revision);
        return File.Exists(reference) ? File.ReadAllText(reference).Trim() : null;
    }

    public static bool IsCommitHash(string revision) => CommitPattern().IsMatch(revision);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex RepoIdPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
