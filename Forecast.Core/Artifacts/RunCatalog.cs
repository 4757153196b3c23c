using System.Security.Cryptography;

namespace Forecast.Core.Artifacts;

/// <summary>Reads committed runs: a run exists for readers only once its manifest.json does.</summary>
public static class RunCatalog
{
    /// <summary>
    /// The manifests of every committed run, oldest first (run ids sort by start time). Lists the run folders, not
    /// their files, and reads each manifest: for a few runs (tools, tests); services use <see cref="Catalog.RunCatalogCache"/>.
    /// </summary>
    public static async Task<IReadOnlyList<RunManifest>> ListCommittedAsync(IArtifactStore store, CancellationToken cancellationToken = default)
    {
        var manifests = new List<RunManifest>();
        await foreach (string folder in store.ListFoldersAsync("runs/", cancellationToken).ConfigureAwait(false))
        {
            string runId = folder["runs/".Length..^1];
            if (RunIds.IsValid(runId) && await GetAsync(store, runId, cancellationToken).ConfigureAwait(false) is { } manifest) manifests.Add(manifest);
        }
        return manifests;
    }

    /// <summary>The manifest of run <paramref name="runId"/>, or null when the run is not committed.</summary>
    public static async Task<RunManifest?> GetAsync(IArtifactStore store, string runId, CancellationToken cancellationToken = default)
    {
        string key = RunIds.Prefix(runId) + RunManifest.FileName;
        var bytes = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (bytes is null) return null;
        var manifest = RunManifest.Parse(bytes, store.Describe(key));
        return manifest.Status == RunManifest.CommittedStatus ? manifest : null;
    }

    /// <summary>The files of a committed run whose bytes are missing or differ from the manifest (empty when the run is whole).</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(IArtifactStore store, RunManifest manifest, CancellationToken cancellationToken = default)
    {
        var bad = new List<string>();
        foreach (var file in manifest.Files)
        {
            var bytes = await store.GetAsync(RunIds.Prefix(manifest.RunId) + file.Path, cancellationToken).ConfigureAwait(false);
            if (bytes is null || bytes.Length != file.Size || Convert.ToHexStringLower(SHA256.HashData(bytes)) != file.Sha256) bad.Add(file.Path);
        }
        return bad;
    }
}
