using System.Text;
using Forecast.Core.Artifacts.Catalog;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Reads committed runs back from an <see cref="IArtifactStore"/> for the Evaluator and the Dashboard: summaries,
/// metrics.yaml, forecasts, EDA and any file the manifest lists. Only runs with a manifest exist (as
/// <see cref="RunCatalog"/>), run ids are checked with <see cref="RunIds.IsValid"/> and file names must be listed in
/// the manifest, so no caller-supplied name can reach outside a run. Lists of runs come from the
/// <see cref="RunCatalogCache"/> (one summary per run, kept current); committed runs are immutable, so manifests and
/// parsed tables of the runs looked at last are cached too, a bounded number of each.
/// </summary>
public sealed class RunReader
{
    public const string MetricsFile = "metrics.yaml";
    public const string ConfigFile = "config.yaml";
    public const string ForecastsFile = "forecasts.csv";
    public const string EvaluationForecastsFile = "evaluation/forecasts.csv";
    public const string EdaFile = "eda/eda.yaml";
    public const string CleaningFile = "cleaning.yaml";
    public const string FlagsFile = "flags.yaml";

    // A Prophet run over 1,428 series has a manifest of 1,435 files (~200 KB): keep those of the runs being looked at,
    // not of every run ever opened.
    private const int CachedManifests = 256;

    // Parsed forecast tables and metrics of the last few runs looked at: a chart or a page of series would otherwise
    // parse the whole forecasts.csv or metrics.yaml of a run with thousands of series on every click.
    private const int CachedTables = 8;

    private readonly IArtifactStore _store;
    private readonly LruCache<RunManifest> _manifests = new(CachedManifests);
    private readonly LruCache<object> _tables = new(CachedTables);

    /// <summary>A reader with its own catalog of <paramref name="store"/> (default <see cref="RunCatalogOptions"/>).</summary>
    public RunReader(IArtifactStore store) : this(new RunCatalogCache(store)) { }

    public RunReader(RunCatalogCache catalog)
    {
        Catalog = catalog;
        _store = catalog.Store;
    }

    public IArtifactStore Store => _store;

    /// <summary>The committed runs kept in memory: lists, filters, facets and leaderboards.</summary>
    public RunCatalogCache Catalog { get; }

    /// <summary>Every committed run, newest first.</summary>
    public async Task<IReadOnlyList<RunSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        (await Catalog.GetAsync(cancellationToken).ConfigureAwait(false)).Runs;

    /// <summary>The manifest of a committed run; null when the id is not a committed run.</summary>
    /// <exception cref="ArgumentException">The id is not a valid run id.</exception>
    public async Task<RunManifest?> GetManifestAsync(string runId, CancellationToken cancellationToken = default)
    {
        EnsureValid(runId);
        if (_manifests.Get(runId) is { } cached) return cached;
        var manifest = await RunCatalog.GetAsync(_store, runId, cancellationToken).ConfigureAwait(false);
        if (manifest is not null) _manifests.Set(runId, manifest);
        return manifest;
    }

    /// <summary>The run's summary from the catalog, or read from its files when the catalog has not seen it yet; null when not committed.</summary>
    public async Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (Catalog.Current?.Find(runId) is { } listed) return listed;
        var manifest = await GetManifestAsync(runId, cancellationToken).ConfigureAwait(false);
        if (manifest is null) return null;
        return (await RunSummarySources.ReadAsync(_store, manifest, cancellationToken).ConfigureAwait(false)).Build(manifest, _store.Describe);
    }

    /// <summary>
    /// The bytes of <paramref name="path"/> in a committed run, or null when the run is not committed or its manifest
    /// does not list the path (so "../x" or any name the Trainer did not write never reaches the store).
    /// </summary>
    public async Task<byte[]?> ReadFileAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        var manifest = await GetManifestAsync(runId, cancellationToken).ConfigureAwait(false);
        if (manifest is null || !manifest.Files.Any(f => string.Equals(f.Path, path, StringComparison.Ordinal))) return null;
        return await _store.GetAsync(RunIds.Prefix(runId) + path, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> ReadTextAsync(string runId, string path, CancellationToken cancellationToken = default) =>
        await ReadFileAsync(runId, path, cancellationToken).ConfigureAwait(false) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>metrics.yaml with every series (cached for the last few runs: a run page of 10,000 series parses it once).</summary>
    public async Task<RunMetrics?> ReadMetricsAsync(string runId, CancellationToken cancellationToken = default)
    {
        string key = RunIds.Prefix(runId) + MetricsFile;
        if (Cached<RunMetrics>(key) is { } cached) return cached;
        var metrics = await ReadYamlAsync<RunMetrics>(runId, MetricsFile, cancellationToken).ConfigureAwait(false);
        if (metrics is not null) Remember(key, metrics);
        return metrics;
    }

    public Task<RunConfigSummary?> ReadConfigAsync(string runId, CancellationToken cancellationToken = default) =>
        ReadYamlAsync<RunConfigSummary>(runId, ConfigFile, cancellationToken);

    /// <summary>flags.yaml: the feature flags of the run and what they changed, or null for runs made before it was written.</summary>
    public Task<RunFlags?> ReadFlagsAsync(string runId, CancellationToken cancellationToken = default) =>
        ReadYamlAsync<RunFlags>(runId, FlagsFile, cancellationToken);

    /// <summary>eda/eda.yaml, or null when the run was made with EDA switched off.</summary>
    public Task<RunEda?> ReadEdaAsync(string runId, CancellationToken cancellationToken = default) =>
        ReadYamlAsync<RunEda>(runId, EdaFile, cancellationToken);

    /// <summary>forecasts.csv (beyond the data) or, with <paramref name="evaluation"/>, evaluation/forecasts.csv (windows with actuals).</summary>
    public async Task<ForecastTable?> ReadForecastsAsync(string runId, bool evaluation, CancellationToken cancellationToken = default)
    {
        string path = evaluation ? EvaluationForecastsFile : ForecastsFile;
        string key = RunIds.Prefix(runId) + path;
        if (Cached<ForecastTable>(key) is { } cached) return cached;
        var bytes = await ReadFileAsync(runId, path, cancellationToken).ConfigureAwait(false);
        if (bytes is null) return null;
        var table = ForecastCsvReader.Read(bytes, _store.Describe(key));
        Remember(key, table);
        return table;
    }

    /// <summary>
    /// model/auto/selection.csv of a <c>model: auto</c> run (a merged sharded run: every shard's model/shard-i/auto/
    /// selection.csv, rows concatenated), or null for runs of other models.
    /// </summary>
    public async Task<RunSelection?> ReadSelectionAsync(string runId, CancellationToken cancellationToken = default)
    {
        var manifest = await GetManifestAsync(runId, cancellationToken).ConfigureAwait(false);
        if (manifest is null) return null;
        var paths = manifest.Files.Select(f => f.Path).Where(p => IsAutoFile(p, RunSelection.FileName)).Order(StringComparer.Ordinal).ToList();
        if (paths.Count == 0) return null;
        string key = RunIds.Prefix(runId) + paths[0];
        if (Cached<RunSelection>(key) is { } cached) return cached;
        RunSelection? merged = null;
        foreach (string path in paths)
        {
            var bytes = await ReadFileAsync(runId, path, cancellationToken).ConfigureAwait(false);
            if (bytes is null) continue;
            var part = RunSelection.Parse(bytes, _store.Describe(RunIds.Prefix(runId) + path));
            merged = merged is null ? part : merged with { Rows = [.. merged.Rows, .. part.Rows] };
        }
        if (merged is not null) Remember(key, merged);
        return merged;
    }

    /// <summary>model/auto/summary.yaml of a <c>model: auto</c> run (of a merged sharded run: shard 0's), or null.</summary>
    public async Task<RunAutoSummary?> ReadAutoSummaryAsync(string runId, CancellationToken cancellationToken = default)
    {
        var manifest = await GetManifestAsync(runId, cancellationToken).ConfigureAwait(false);
        string? path = manifest?.Files.Select(f => f.Path).Where(p => IsAutoFile(p, RunSelection.SummaryFileName)).Order(StringComparer.Ordinal).FirstOrDefault();
        return path is null ? null : await ReadYamlAsync<RunAutoSummary>(runId, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>model/auto/&lt;name&gt; or, in a merged sharded run, model/shard-&lt;i&gt;/auto/&lt;name&gt;.</summary>
    private static bool IsAutoFile(string path, string name)
    {
        if (path == $"model/auto/{name}") return true;
        if (!path.StartsWith("model/shard-", StringComparison.Ordinal) || !path.EndsWith($"/auto/{name}", StringComparison.Ordinal)) return false;
        var shard = path.AsSpan("model/shard-".Length, path.Length - "model/shard-".Length - $"/auto/{name}".Length);
        return shard.Length > 0 && !shard.ContainsAnyExceptInRange('0', '9');
    }

    private T? Cached<T>(string key) where T : class => _tables.Get(key) as T;

    private void Remember(string key, object value) => _tables.Set(key, value);

    private async Task<T?> ReadYamlAsync<T>(string runId, string path, CancellationToken cancellationToken) where T : class
    {
        var text = await ReadTextAsync(runId, path, cancellationToken).ConfigureAwait(false);
        return text is null ? null : Deserialize<T>(text, runId, path);
    }

    private T? Deserialize<T>(string text, string runId, string path) where T : class =>
        RunYaml.Parse<T>(text, _store.Describe(RunIds.Prefix(runId) + path));

    private static void EnsureValid(string runId)
    {
        if (!RunIds.IsValid(runId))
            throw new ArgumentException($"'{runId}' is not a run id: use the id of a run folder (letters, digits, '-', '_', '.'), e.g. 20261127T061500Z-default-3f9a1c.", nameof(runId));
    }
}
