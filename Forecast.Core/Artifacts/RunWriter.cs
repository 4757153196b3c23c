using System.Security.Cryptography;
using System.Text;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Writes one run into an <see cref="IArtifactStore"/> under runs/&lt;run-id&gt;/ and commits it atomically: every file
/// is put first (each put is atomic), then <see cref="RunManifest.FileName"/> lists them with sizes and SHA-256.
/// Readers (<see cref="RunCatalog"/>) ignore runs without a manifest, so a crash at any point leaves no committed run;
/// <see cref="AbortAsync"/> also removes what a failed run had written. Object stores need no rename for this.
/// </summary>
public sealed class RunWriter
{
    private readonly IArtifactStore _store;
    private readonly TimeProvider _clock;
    private readonly List<ManifestEntry> _files = [];
    private bool _finished;

    public RunWriter(IArtifactStore store, string runId, TimeProvider? clock = null)
    {
        _store = store;
        _clock = clock ?? TimeProvider.System;
        RunId = runId;
        Prefix = RunIds.Prefix(runId);
        StartedUtc = _clock.GetUtcNow().UtcDateTime;
    }

    public string RunId { get; }

    /// <summary>The run's key prefix, runs/&lt;run-id&gt;/.</summary>
    public string Prefix { get; }

    public DateTime StartedUtc { get; }

    /// <summary>Where the run goes, for logs (a folder path or an s3:// URI).</summary>
    public string Location => _store.Describe(Prefix + RunManifest.FileName)[..^RunManifest.FileName.Length];

    public IReadOnlyList<ManifestEntry> Files => _files;

    /// <summary>Puts <paramref name="relativePath"/> (e.g. "plots/AirPassengers.png") into the run.</summary>
    public async Task PutAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (_finished) throw new InvalidOperationException($"Run {RunId} is already committed or aborted.");
        ArtifactKey.Validate(relativePath);
        if (relativePath == RunManifest.FileName)
            throw new ArgumentException($"{RunManifest.FileName} is written by CommitAsync only.", nameof(relativePath));
        if (_files.Any(f => f.Path == relativePath))
            throw new ArgumentException($"Run {RunId} already has {relativePath}.", nameof(relativePath));
        await _store.PutAsync(Prefix + relativePath, content, cancellationToken).ConfigureAwait(false);
        _files.Add(new ManifestEntry(relativePath, content.Length, Convert.ToHexStringLower(SHA256.HashData(content.Span))));
    }

    public Task PutTextAsync(string relativePath, string text, CancellationToken cancellationToken = default) =>
        PutAsync(relativePath, Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Writes the manifest, which commits the run.</summary>
    public async Task<RunManifest> CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_finished) throw new InvalidOperationException($"Run {RunId} is already committed or aborted.");
        var manifest = new RunManifest(RunId, RunManifest.CommittedStatus, StartedUtc, _clock.GetUtcNow().UtcDateTime,
            [.. _files.OrderBy(f => f.Path, StringComparer.Ordinal)]);
        await _store.PutAsync(Prefix + RunManifest.FileName, manifest.ToJson(), cancellationToken).ConfigureAwait(false);
        _finished = true;
        return manifest;
    }

    /// <summary>Deletes what the run wrote (best effort: without a manifest the run is ignored anyway).</summary>
    public async Task AbortAsync()
    {
        if (_finished) return;
        _finished = true;
        foreach (var file in _files)
        {
            try { await _store.DeleteAsync(Prefix + file.Path).ConfigureAwait(false); }
            catch (ArtifactStoreException) { }
        }
    }
}
