using System.Text.RegularExpressions;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// A checkpoint on the Hugging Face Hub, referenced as <c>owner/name</c>, <c>owner/name@revision</c> or
/// <c>hf://owner/name[@revision]</c> (revision defaults to main). Fetches what from_pretrained reads —
/// config.json, then model.safetensors or, when the repository is sharded, model.safetensors.index.json and its
/// shards, plus generation_config.json when present — all pinned to the commit the first file resolved to, and
/// returns the snapshot folder.
/// </summary>
public sealed partial class HuggingFaceHubCheckpointSource(HuggingFaceHubClient client) : ICheckpointSource
{
    public bool CanResolve(string reference) => Reference().IsMatch(reference) && !Directory.Exists(reference);

    public async Task<string> ResolveAsync(string reference, CancellationToken cancellationToken = default)
    {
        var match = Reference().Match(reference);
        if (!match.Success)
            throw new ArgumentException($"'{reference}' is not a hub reference such as amazon/chronos-bolt-small[@revision].", nameof(reference));
        var repoId = match.Groups["repo"].Value;
        var revision = match.Groups["revision"].Success ? match.Groups["revision"].Value : "main";
        return await DownloadSnapshotAsync(repoId, revision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads the checkpoint files of <paramref name="repoId"/> at <paramref name="revision"/>; returns the snapshot folder.</summary>
    public async Task<string> DownloadSnapshotAsync(string repoId, string revision = "main", CancellationToken cancellationToken = default)
    {
        var config = await client.DownloadFileAsync(repoId, ChronosCheckpointConfig.FileName, revision, cancellationToken).ConfigureAwait(false);
        var snapshot = Path.GetDirectoryName(config)!;
        var commit = Path.GetFileName(snapshot);
        var weights = await client.TryDownloadFileAsync(repoId, SafetensorsCheckpoint.SingleFileName, commit, cancellationToken).ConfigureAwait(false);
        if (weights is null)
        {
            var index = await client.TryDownloadFileAsync(repoId, SafetensorsIndex.FileName, commit, cancellationToken).ConfigureAwait(false)
                ?? throw new HubDownloadException(client.FileUrl(repoId, SafetensorsCheckpoint.SingleFileName, commit).AbsoluteUri,
                    HubProblem.EntryNotFound,
                    $"{repoId}@{revision} has neither {SafetensorsCheckpoint.SingleFileName} nor {SafetensorsIndex.FileName}; "
                    + "only safetensors checkpoints are read.", 404);
            foreach (var shard in SafetensorsIndex.Read(index).Shards)
                await client.DownloadFileAsync(repoId, shard, commit, cancellationToken).ConfigureAwait(false);
        }
        await client.TryDownloadFileAsync(repoId, "generation_config.json", commit, cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    [GeneratedRegex("^(hf://)?(?<repo>[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)(@(?<revision>[A-Za-z0-9_./-]+))?$")]
    private static partial Regex Reference();
}
