namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// What a HEAD on <c>/{repo}/resolve/{revision}/{file}</c> tells (huggingface_hub get_hf_file_metadata): the commit
/// the revision points at (X-Repo-Commit), the blob's ETag (X-Linked-Etag for LFS files = their sha256, else ETag =
/// git blob sha1), its size (X-Linked-Size, else Content-Length) and where to GET it (the redirect target for LFS).
/// </summary>
public sealed record HubFileMetadata(string Commit, string ETag, long Size, Uri Location);
