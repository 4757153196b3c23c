using System.Collections.Concurrent;

namespace Forecast.Core.Artifacts.Catalog;

/// <summary>
/// The committed runs as the catalog saw them at one moment: immutable, so any number of requests read it at once
/// without locks or I/O. Filter facets are computed once; leaderboards once per dataset filter (up to a bound).
/// </summary>
public sealed class RunCatalogSnapshot
{
    private readonly Dictionary<string, RunSummary> _byId;
    private readonly ConcurrentDictionary<string, Leaderboard> _leaderboards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _responses = new(StringComparer.Ordinal);
    private readonly int _maxLeaderboards;

    internal RunCatalogSnapshot(IEnumerable<RunSummary> runs, long version, DateTimeOffset loadedAt, int maxLeaderboards)
    {
        Runs = [.. runs.OrderByDescending(r => r.StartedUtc).ThenByDescending(r => r.RunId, StringComparer.Ordinal)];
        _byId = Runs.ToDictionary(r => r.RunId, StringComparer.Ordinal);
        Datasets = [.. Runs.Select(r => r.Dataset).Distinct().Order(StringComparer.Ordinal)];
        Models = [.. Runs.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal)];
        Version = version;
        LoadedAt = loadedAt;
        _maxLeaderboards = maxLeaderboards;
    }

    /// <summary>Every committed run, newest first (start time, then run id).</summary>
    public IReadOnlyList<RunSummary> Runs { get; }

    /// <summary>The datasets and the models of the runs, in ordinal order (for filter menus).</summary>
    public IReadOnlyList<string> Datasets { get; }

    public IReadOnlyList<string> Models { get; }

    /// <summary>Grows by one whenever the list changes.</summary>
    public long Version { get; }

    /// <summary>When the catalog last confirmed this list against the store.</summary>
    public DateTimeOffset LoadedAt { get; }

    public RunSummary? Find(string runId) => _byId.GetValueOrDefault(runId);

    /// <summary>How many runs <paramref name="filter"/> matches.</summary>
    public int Count(RunFilter filter) => filter.IsEmpty ? Runs.Count : Runs.Count(filter.Matches);

    /// <summary>One page (1-based) of the runs <paramref name="filter"/> matches, newest first, and how many match in all.</summary>
    public (int Total, IReadOnlyList<RunSummary> Items) Page(RunFilter filter, int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        long skip = (long)(page - 1) * pageSize;
        if (filter.IsEmpty)
        {
            int start = (int)Math.Min(skip, Runs.Count);
            return (Runs.Count, [.. Runs.Skip(start).Take(pageSize)]);
        }
        int total = 0;
        var items = new List<RunSummary>(pageSize);
        foreach (var run in Runs)
        {
            if (!filter.Matches(run)) continue;
            if (total >= skip && items.Count < pageSize) items.Add(run);
            total++;
        }
        return (total, items);
    }

    /// <summary>
    /// A response body made from this snapshot, built once per <paramref name="key"/> (the request's normalized query)
    /// up to the leaderboard bound: the same first page or leaderboard asked for again and again is serialized once
    /// per version of the list, not once per request.
    /// </summary>
    public byte[] Response(string key, Func<RunCatalogSnapshot, byte[]> build)
    {
        if (_responses.TryGetValue(key, out var cached)) return cached;
        var bytes = build(this);
        if (_responses.Count < _maxLeaderboards * 4) _responses.TryAdd(key, bytes);
        return bytes;
    }

    /// <summary>The leaderboard over the runs of <paramref name="dataset"/> (all datasets when null), built once per snapshot.</summary>
    public Leaderboard Leaderboard(string? dataset = null)
    {
        string key = dataset ?? "";
        if (_leaderboards.TryGetValue(key, out var cached)) return cached;
        var board = RunLeaderboard.Build(dataset is null ? Runs : Runs.Where(r => r.Dataset == dataset));
        if (_leaderboards.Count < _maxLeaderboards) _leaderboards.TryAdd(key, board);
        return board;
    }
}
