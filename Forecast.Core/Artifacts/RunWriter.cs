using System.Security.Cryptography;
using System.Text;
using Forecast.Core.Artifacts.Catalog;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Writes one run into an <see cref="IArtifactStore"/> under runs/&lt;run-id&gt;/ and commits it atomically: every file
/// is put first (each put is atomic), then <see cref="RunManifest.FileName"/> lists them with sizes and SHA-256.
/// Readers (<see cref="RunCatalog"/>) ignore runs without a manifest, so a crash at any point leaves no committed run;
/// <see cref="AbortAsync"/> also removes what a failed run had written. Object stores need no rename for this.
/// After the manifest, the commit writes the run's entry in the run index (index/runs/, see <see cref="RunIndex"/>):
/// its summary, so the Evaluator and the Dashboard list and rank runs without reading each run's files.
/// </summary>
public sealed class RunWriter
{
    private readonly IArtifactStore _store;
    private readonly TimeProvider _clock;
    private readonly List<ManifestEntry> _files = [];
    private readonly RunSummarySources _summarySources = new();
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
        _summarySources.Observe(relativePath, content.Span);
        _files.Add(new ManifestEntry(relativePath, content.Length, Convert.ToHexStringLower(SHA256.HashData(content.Span))));
    }

    /// <summary>Puts a large file written to a <see cref="TemporaryRunFile"/> (streamed from disk, never held in memory).</summary>
    /// <param name="leadingBytes">The file's first bytes, for the run's index entry when it is a file the summary reads
    /// (for metrics.yaml: its head, up to and including "per_series:").</param>
    public async Task PutFileAsync(string relativePath, TemporaryRunFile file, ReadOnlyMemory<byte> leadingBytes = default, CancellationToken cancellationToken = default)
    {
        if (_finished) throw new InvalidOperationException($"Run {RunId} is already committed or aborted.");
        ArtifactKey.Validate(relativePath);
        if (_files.Any(f => f.Path == relativePath))
            throw new ArgumentException($"Run {RunId} already has {relativePath}.", nameof(relativePath));
        string sha256 = await file.CloseAsync().ConfigureAwait(false);
        await _store.PutFileAsync(Prefix + relativePath, file.Path, cancellationToken).ConfigureAwait(false);
        if (!leadingBytes.IsEmpty) _summarySources.Observe(relativePath, leadingBytes.Span);
        _files.Add(new ManifestEntry(relativePath, file.Length, sha256));
    }

    public Task PutTextAsync(string relativePath, string text, CancellationToken cancellationToken = default) =>
        PutAsync(relativePath, Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>
    /// Why the run's index entry could not be written, or null. The run is committed all the same (the manifest is);
    /// readers rebuild its summary from its files until an entry exists.
    /// </summary>
    public string? IndexWarning { get; private set; }

    /// <summary>
    /// Writes the manifest, which commits the run, then the run's index entry. The manifest carries the run's summary
    /// (<see cref="ManifestSummary"/>) so a catalog reads both the proof of the commit and the summary in one request.
    /// </summary>
    public async Task<RunManifest> CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_finished) throw new InvalidOperationException($"Run {RunId} is already committed or aborted.");
        var manifest = new RunManifest(RunId, RunManifest.CommittedStatus, StartedUtc, _clock.GetUtcNow().UtcDateTime,
            [.. _files.OrderBy(f => f.Path, StringComparer.Ordinal)]);
        RunSummary? summary = null;
        try
        {
            summary = _summarySources.Build(manifest, _store.Describe);
            manifest = manifest with { Catalog = ManifestSummary.Create(summary) };
        }
        catch (InvalidDataException e)
        {
            IndexWarning = $"Run {RunId} is committed without a summary ({e.Message}); the Evaluator and the Dashboard list it with what its manifest says.";
        }
        byte[] manifestJson = manifest.ToJson();
        await _store.PutAsync(Prefix + RunManifest.FileName, manifestJson, cancellationToken).ConfigureAwait(false);
        _finished = true;
        if (summary is null) return manifest;
        try
        {
            await RunIndex.WriteAsync(_store, manifest, manifestJson, summary, cancellationToken).ConfigureAwait(false);
        }
        catch (ArtifactStoreException e)
        {
            IndexWarning = $"Run {RunId} is committed but its index entry was not written ({e.Message}); the Evaluator and the Dashboard find it at their next full listing of run folders.";
        }
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
