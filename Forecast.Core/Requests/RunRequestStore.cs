using Forecast.Core.Artifacts;

namespace Forecast.Core.Requests;

/// <summary>
/// Run requests and their statuses in a run output root (an <see cref="IArtifactStore"/>: a folder or an s3:// prefix):
/// the Dashboard submits and lists them, the Trainer reads one and reports on it. Ids are checked before any key is
/// built, so no id can reach outside requests/ or request-status/.
/// </summary>
public sealed class RunRequestStore(IArtifactStore store)
{
    public IArtifactStore Store => store;

    /// <summary>Where the request lives, as the Trainer's --request takes it (a file path or an s3:// URI).</summary>
    public string LocationOf(string id) => store.Describe(RunRequest.KeyOf(Checked(id)));

    public Task SubmitAsync(RunRequest request, CancellationToken cancellationToken = default) =>
        store.PutAsync(RunRequest.KeyOf(Checked(request.Id)), request.ToJson(), cancellationToken);

    public async Task<RunRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        string key = RunRequest.KeyOf(Checked(id));
        var bytes = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : RunRequest.Parse(bytes, store.Describe(key));
    }

    /// <summary>The request's status, <see cref="RunRequestStatus.Queued"/> when no Trainer has reported yet, or null when there is no such request.</summary>
    public async Task<RunRequestStatus?> GetStatusAsync(string id, CancellationToken cancellationToken = default)
    {
        string key = RunRequestStatus.KeyOf(Checked(id));
        var bytes = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (bytes is not null) return RunRequestStatus.Parse(bytes, store.Describe(key));
        return await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } request ? RunRequestStatus.Queued(id, request.RequestedUtc) : null;
    }

    public Task PutStatusAsync(RunRequestStatus status, CancellationToken cancellationToken = default) =>
        store.PutAsync(RunRequestStatus.KeyOf(Checked(status.Id)), status.ToJson(), cancellationToken);

    /// <summary>The ids of the newest <paramref name="count"/> requests (ids sort by the time they were made).</summary>
    public async Task<IReadOnlyList<string>> RecentIdsAsync(int count, CancellationToken cancellationToken = default)
    {
        var ids = new List<string>();
        await foreach (var info in store.ListAsync(RunRequest.Prefix, cancellationToken).ConfigureAwait(false))
        {
            string name = info.Key[RunRequest.Prefix.Length..];
            if (name.EndsWith(".json", StringComparison.Ordinal) && RunRequest.IsValidId(name[..^5])) ids.Add(name[..^5]);
        }
        return [.. ids.OrderByDescending(id => id, StringComparer.Ordinal).Take(count)];
    }

    private static string Checked(string id) =>
        RunRequest.IsValidId(id) ? id : throw new ArgumentException($"'{id}' is not a run request id (letters, digits, '-', '_').", nameof(id));
}
