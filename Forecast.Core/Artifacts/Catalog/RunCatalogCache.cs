using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecast.Core.Artifacts.Catalog;

/// <summary>
/// The committed runs of an artifact store, kept in memory for the Evaluator and the Dashboard: a list or leaderboard
/// request reads the current <see cref="RunCatalogSnapshot"/> and does no storage I/O while nothing changed.
/// <list type="bullet">
/// <item>First use (cold start): lists the run folders (runs/&lt;id&gt;/, one entry per run however many files it
/// has) and the run index, then reads each run's manifest (one GET: it proves the commit and carries the run's
/// summary, see <see cref="ManifestSummary"/>). A run committed before manifests carried summaries takes its index
/// entry, or, without a usable one (older than the index, or whose writer stopped between manifest and entry), gets
/// its summary rebuilt from its manifest, config.yaml and metrics.yaml, so no committed run is hidden.</item>
/// <item>Change check, at most once per <see cref="RunCatalogOptions.ChangeCheckInterval"/>: the newest page of the
/// index (its keys sort newest commit first); only entries not seen before are read. The request that starts it waits
/// for it up to <see cref="RunCatalogOptions.ChangeCheckWait"/>; others answer from the current list meanwhile.</item>
/// <item>Full refresh, once per <see cref="RunCatalogOptions.FullRefreshInterval"/>, as at cold start but in the
/// background (requests keep the current list): drops deleted runs, finds runs without entries.</item>
/// </list>
/// An index entry without a committed manifest counts for nothing, so a half-written run never appears. Memory is
/// one summary per run; nothing else of a run is kept here.
/// </summary>
public sealed class RunCatalogCache
{
    private const string RunsPrefix = "runs/";

    private readonly IArtifactStore _store;
    private readonly RunCatalogOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Written only by the one refresh in flight (_refresh), read by it; requests read _snapshot only.
    private Dictionary<string, RunSummary> _committed = new(StringComparer.Ordinal);
    private HashSet<string> _rejectedEntries = new(StringComparer.Ordinal);
    private volatile RunCatalogSnapshot? _snapshot;
    private long _version;

    private Task? _refresh;
    private bool _refreshIsFull;
    private DateTimeOffset _lastCheck;
    private DateTimeOffset _lastFullRefresh;

    public RunCatalogCache(IArtifactStore store, RunCatalogOptions? options = null, TimeProvider? clock = null, ILogger<RunCatalogCache>? logger = null)
    {
        _store = store;
        _options = options ?? new RunCatalogOptions();
        _options.Validate();
        _clock = clock ?? TimeProvider.System;
        _logger = logger ?? NullLogger<RunCatalogCache>.Instance;
    }

    public IArtifactStore Store => _store;

    /// <summary>The list as last loaded, or null before the first load; never does I/O.</summary>
    public RunCatalogSnapshot? Current => _snapshot;

    /// <summary>
    /// The current list of committed runs: the first call loads it; later calls look for new commits when the list is
    /// older than the change-check interval and start a background full refresh when that is due.
    /// </summary>
    public async ValueTask<RunCatalogSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        Task? wait = null;
        lock (_gate)
        {
            bool idle = _refresh is null || _refresh.IsCompleted;
            if (_snapshot is null)
            {
                if (idle) Start(full: true, now);
                wait = _refresh;
            }
            else if (idle && now - _lastFullRefresh >= _options.FullRefreshInterval)
            {
                Start(full: true, now);
            }
            else if (idle && now - _lastCheck >= _options.ChangeCheckInterval)
            {
                // Only the request that starts a check waits for it (someone who just committed and reloads sees the
                // run); requests arriving while it runs answer from the current list, so under load a check costs
                // one request per interval its wait, not every request in flight.
                Start(full: false, now);
                wait = _refresh;
            }
        }
        if (wait is not null)
        {
            try
            {
                // A change check is waited for up to ChangeCheckWait: on a slow or loaded store the current list is
                // the answer and the check finishes in the background.
                if (_snapshot is null) await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                else await wait.WaitAsync(_options.ChangeCheckWait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (_snapshot is not null && e is not OperationCanceledException)
            {
                // The check failed (logged by the refresh) or is still running; the list we have is the best answer.
            }
        }
        return _snapshot ?? throw new InvalidOperationException("The run catalog has not loaded.");
    }

    /// <summary>Lists run folders and the index now and waits for it (after any refresh in flight): tests, and an operator's "refresh".</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task running;
            bool mine = false;
            lock (_gate)
            {
                if (_refresh is null || _refresh.IsCompleted)
                {
                    Start(full: true, _clock.GetUtcNow());
                    mine = true;
                }
                running = _refresh!;
            }
            if (mine)
            {
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            try
            {
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // That one failed; ours starts next.
            }
        }
    }

    private void Start(bool full, DateTimeOffset now)
    {
        _refreshIsFull = full;
        _lastCheck = now;
        if (full) _lastFullRefresh = now;
        // Not the request's token: other requests wait for the same refresh, and a background one outlives its request.
        _refresh = Task.Run(full ? FullRefreshAsync : ChangeCheckAsync);
    }

    /// <summary>Run folders and the whole index: the list rebuilt, deleted runs dropped, runs without entries found.</summary>
    private async Task FullRefreshAsync()
    {
        try
        {
            var started = _clock.GetTimestamp();
            // The two listings at once: neither needs the other.
            var folderListing = ListRunFoldersAsync();
            var indexListing = ListIndexAsync();
            await Task.WhenAll(folderListing, indexListing).ConfigureAwait(false);
            var folders = await folderListing.ConfigureAwait(false);
            var entries = await indexListing.ConfigureAwait(false);
            double listedMs = _clock.GetElapsedTime(started).TotalMilliseconds;

            var committed = new Dictionary<string, RunSummary>(folders.Count, StringComparer.Ordinal);
            var toLoad = new List<(string RunId, ArtifactInfo? Entry)>();
            foreach (string id in folders)
            {
                if (_committed.TryGetValue(id, out var known)) committed[id] = known;
                else toLoad.Add((id, entries.GetValueOrDefault(id)));
            }
            var rejected = new HashSet<string>(StringComparer.Ordinal);
            await LoadAsync(toLoad, committed, rejected).ConfigureAwait(false);
            int rebuilt = toLoad.Count(l => l.Entry is null && committed.ContainsKey(l.RunId));
            bool changed = committed.Count != _committed.Count || toLoad.Any(l => committed.ContainsKey(l.RunId));
            _committed = committed;
            _rejectedEntries = rejected;
            if (changed || _snapshot is null) Publish();
            double elapsedMs = _clock.GetElapsedTime(started).TotalMilliseconds;
            _logger.LogInformation("Run catalog of {Location}: {Runs} committed runs ({Loaded} read, {Rebuilt} without an index entry, {Pending} folders without a committed manifest) in {Elapsed:F0} ms (run folders and index listed in {Listed:F0} ms, runs read in {Read:F0} ms)",
                _store.Describe("runs"), committed.Count, toLoad.Count, rebuilt, folders.Count - committed.Count, elapsedMs, listedMs, elapsedMs - listedMs);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Run catalog of {Location}: the full refresh failed; requests keep the list they have", _store.Describe("runs"));
            throw;
        }
    }

    /// <summary>The ids of the run folders (runs/&lt;id&gt;/), one listing entry per run however many files it holds.</summary>
    private async Task<List<string>> ListRunFoldersAsync()
    {
        var folders = new List<string>();
        await foreach (string folder in _store.ListFoldersAsync(RunsPrefix).ConfigureAwait(false))
        {
            string id = folder[RunsPrefix.Length..].TrimEnd('/');
            if (RunIds.IsValid(id)) folders.Add(id);
        }
        return folders;
    }

    /// <summary>The index entries by run id; keys sort newest commit first, so the first entry of an id is its newest.</summary>
    private async Task<Dictionary<string, ArtifactInfo>> ListIndexAsync()
    {
        var entries = new Dictionary<string, ArtifactInfo>(StringComparer.Ordinal);
        await foreach (var info in _store.ListAsync(RunIndex.Prefix).ConfigureAwait(false))
            if (RunIndex.TryParseKey(info.Key, out string id)) entries.TryAdd(id, info);
        return entries;
    }

    /// <summary>The newest page of the index: entries not seen before are read and added.</summary>
    private async Task ChangeCheckAsync()
    {
        try
        {
            var fresh = new List<(string RunId, ArtifactInfo? Entry)>();
            int read = 0;
            await foreach (var info in _store.ListAsync(RunIndex.Prefix).ConfigureAwait(false))
            {
                if (++read > _options.ChangeCheckEntries) break;
                if (!RunIndex.TryParseKey(info.Key, out string id) || _committed.ContainsKey(id) || _rejectedEntries.Contains(info.Key)) continue;
                if (fresh.All(f => f.RunId != id)) fresh.Add((id, info));
            }
            if (fresh.Count == 0) return;
            var committed = new Dictionary<string, RunSummary>(_committed, StringComparer.Ordinal);
            var rejected = new HashSet<string>(_rejectedEntries, StringComparer.Ordinal);
            await LoadAsync(fresh, committed, rejected).ConfigureAwait(false);
            _committed = committed;
            _rejectedEntries = rejected;
            if (fresh.Any(f => committed.ContainsKey(f.RunId))) Publish();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Run catalog of {Location}: the change check failed; requests keep the list they have", _store.Describe("runs"));
            throw;
        }
    }

    /// <summary>Loads the summaries of <paramref name="runs"/> into <paramref name="committed"/>, several at once.</summary>
    private async Task LoadAsync(IReadOnlyList<(string RunId, ArtifactInfo? Entry)> runs, Dictionary<string, RunSummary> committed, HashSet<string> rejected)
    {
        if (runs.Count == 0) return;
        var results = new RunSummary?[runs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, runs.Count), new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism },
            async (i, ct) => results[i] = await LoadAsync(runs[i].RunId, runs[i].Entry, ct).ConfigureAwait(false)).ConfigureAwait(false);
        for (int i = 0; i < runs.Count; i++)
        {
            if (results[i] is { } summary) committed[runs[i].RunId] = summary;
            else if (runs[i].Entry is { } entry) rejected.Add(entry.Key);
        }
    }

    /// <summary>
    /// The summary of run <paramref name="runId"/>, or null when it has no committed manifest. One GET of the manifest
    /// proves the commit and, for a run committed by this version, gives the summary it carries
    /// (<see cref="ManifestSummary"/>). A run committed before manifests carried summaries takes its index entry when
    /// the entry describes exactly this manifest (its SHA-256), else its summary is rebuilt from its files.
    /// </summary>
    private async Task<RunSummary?> LoadAsync(string runId, ArtifactInfo? entry, CancellationToken cancellationToken)
    {
        string manifestKey = RunIds.Prefix(runId) + RunManifest.FileName;
        var manifestJson = await _store.GetAsync(manifestKey, cancellationToken).ConfigureAwait(false);
        if (manifestJson is null) return null;
        if (ManifestSummary.TryRead(manifestJson, runId) is { } carried) return carried;

        RunManifest manifest;
        try
        {
            manifest = RunManifest.Parse(manifestJson, _store.Describe(manifestKey));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            _logger.LogWarning("Run {RunId} is not listed: its manifest cannot be read ({Error})", runId, e.Message);
            return null;
        }
        if (manifest.Status != RunManifest.CommittedStatus || manifest.RunId != runId) return null;
        if (entry is not null
            && await _store.GetAsync(entry.Key, cancellationToken).ConfigureAwait(false) is { } bytes
            && RunIndexEntry.TryParse(bytes) is { } parsed
            && parsed.Summary.RunId == runId && parsed.ManifestSize == manifestJson.Length
            && parsed.ManifestSha256 == Convert.ToHexStringLower(SHA256.HashData(manifestJson)))
            return parsed.Summary;
        return await RebuildAsync(manifest, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RunSummary?> RebuildAsync(RunManifest manifest, CancellationToken cancellationToken)
    {
        try
        {
            return (await RunSummarySources.ReadAsync(_store, manifest, cancellationToken).ConfigureAwait(false)).Build(manifest, _store.Describe);
        }
        catch (InvalidDataException e)
        {
            // Committed but with a damaged config.yaml or metrics.yaml: listed with what the manifest says.
            _logger.LogWarning("Run {RunId} is listed without its metrics: {Error}", manifest.RunId, e.Message);
            return new RunSummary(manifest.RunId, manifest.Status, manifest.StartedUtc, manifest.CommittedUtc, "", "", "", 0, "", 0, 0,
                new Dictionary<string, double>(), new Dictionary<string, double>(), manifest.Files.Count);
        }
    }

    private void Publish() =>
        _snapshot = new RunCatalogSnapshot(_committed.Values, Interlocked.Increment(ref _version), _clock.GetUtcNow(), _options.CachedLeaderboards);
}
