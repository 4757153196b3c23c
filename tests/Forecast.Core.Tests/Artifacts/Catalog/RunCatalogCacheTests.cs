using Forecast.Core.Artifacts;
using Forecast.Core.Artifacts.Catalog;
using Forecast.Core.Storage;
using Forecast.Core.Tests.Storage;

namespace Forecast.Core.Tests.Artifacts.Catalog;

/// <summary>
/// The run catalog against a real store: runs committed by <see cref="RunWriter"/> (files, manifest, index entry),
/// runs whose entry is missing, stale or forged, half-written runs. Runs once on a local folder and once on s3rver.
/// </summary>
public abstract class RunCatalogCacheTests
{
    private static readonly TimeSpan Check = new RunCatalogOptions().ChangeCheckInterval;

    protected abstract Task<IArtifactStore> NewStoreAsync();

    [Fact]
    public async Task Committed_runs_are_listed_with_one_read_of_their_manifests_and_none_of_their_other_files()
    {
        var store = new CountingArtifactStore(await NewStoreAsync());
        var first = await CommitAsync(store, "20260101T000000Z-a-000001", dataset: "sales", model: "prophet", mase: 0.8);
        var second = await CommitAsync(store, "20260102T000000Z-b-000002", dataset: "sales", model: "seasonal_naive", mase: 1.0, modelFiles: 40);
        store.Reset();

        var catalog = new RunCatalogCache(store);
        var snapshot = await catalog.GetAsync();

        snapshot.Runs.Select(r => r.RunId).Should().Equal(second, first);
        snapshot.Find(first)!.Should().BeEquivalentTo(new { Dataset = "sales", Model = "prophet", DataSha256 = Sha("sales"), Series = 2, Horizon = 12, EvaluationMode = "holdout", Files = 4 });
        snapshot.Find(first)!.Metrics["mase"].Should().Be(0.8);
        double.IsNaN(snapshot.Find(first)!.Metrics["wql"]).Should().BeTrue();
        snapshot.Find(second)!.Files.Should().Be(44);
        snapshot.Datasets.Should().Equal("sales");
        snapshot.Models.Should().Equal("prophet", "seasonal_naive");
        // The manifest proves the commit and carries the summary: one request per run, no index entry read.
        store.Calls.Should().BeEquivalentTo(["folders runs/", "list index/runs/", $"get runs/{first}/manifest.json", $"get runs/{second}/manifest.json"],
            "the catalog lists run folders (never every object of every run) and reads nothing of a run but its manifest");
    }

    [Fact]
    public async Task The_summary_a_manifest_carries_is_the_one_rebuilt_from_the_runs_files()
    {
        var store = await NewStoreAsync();
        string id = await CommitAsync(store, "20260101T000000Z-a-000001", dataset: "sales", model: "prophet", mase: 0.8);
        var indexed = (await new RunCatalogCache(store).GetAsync()).Find(id)!;

        // As a run committed before manifests carried summaries, and without its index entry.
        await RewriteManifestAsync(store, id, m => m with { Catalog = null });
        await DeleteIndexEntryAsync(store, id);
        var rebuilt = (await new RunCatalogCache(store).GetAsync()).Find(id)!;

        rebuilt.Should().BeEquivalentTo(indexed, o => o.Excluding(r => r.Metrics).Excluding(r => r.RelativeToSeasonalNaive));
        rebuilt.Metrics.Keys.Should().BeEquivalentTo(indexed.Metrics.Keys);
        rebuilt.Metrics["mase"].Should().Be(indexed.Metrics["mase"]);
        rebuilt.RelativeToSeasonalNaive.Should().Equal(indexed.RelativeToSeasonalNaive);
    }

    [Fact]
    public async Task A_run_committed_while_the_catalog_is_up_appears_on_the_next_list_after_the_change_check_interval()
    {
        var store = new CountingArtifactStore(await NewStoreAsync());
        string old = await CommitAsync(store, "20260101T000000Z-old-000001");
        var clock = new ManualClock();
        // Waits for every change check (the default answers from the current list after 100 ms on a slow store).
        var catalog = new RunCatalogCache(store, new RunCatalogOptions { ChangeCheckWait = TimeSpan.FromMinutes(1) }, clock);
        (await catalog.GetAsync()).Runs.Should().ContainSingle();

        string fresh = await CommitAsync(store, "20260105T000000Z-new-000002");
        store.Reset();
        for (int i = 0; i < 100; i++) (await catalog.GetAsync()).Runs.Should().ContainSingle();
        store.Calls.Should().BeEmpty("requests within the change-check interval are served from memory");

        clock.Advance(Check);
        (await catalog.GetAsync()).Runs.Select(r => r.RunId).Should().Equal(fresh, old);
        store.Calls.Should().Equal(["list index/runs/", $"get runs/{fresh}/manifest.json"]);

        store.Reset();
        clock.Advance(Check);
        (await catalog.GetAsync()).Runs.Should().HaveCount(2);
        store.Calls.Should().Equal(["list index/runs/"], "a change check with nothing new reads one listing and no run");
    }

    [Fact]
    public async Task Only_the_request_that_starts_a_change_check_waits_for_it_the_others_answer_from_the_current_list()
    {
        var store = new CountingArtifactStore(await NewStoreAsync());
        string old = await CommitAsync(store, "20260101T000000Z-old-000001");
        var clock = new ManualClock();
        var catalog = new RunCatalogCache(store, new RunCatalogOptions { ChangeCheckWait = TimeSpan.FromMinutes(1) }, clock);
        var first = await catalog.GetAsync();
        string fresh = await CommitAsync(store, "20260105T000000Z-new-000002");

        var slowStore = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.ListGate = slowStore.Task;
        clock.Advance(Check);
        var starter = catalog.GetAsync().AsTask();
        for (int i = 0; i < 10; i++)
            (await catalog.GetAsync()).Should().BeSameAs(first, "a request arriving while the check runs does not wait for it");
        starter.IsCompleted.Should().BeFalse("the request that started the check waits for it (up to ChangeCheckWait)");

        slowStore.SetResult();
        (await starter).Runs.Select(r => r.RunId).Should().Equal(fresh, old);
    }

    [Fact]
    public async Task A_run_whose_index_entry_is_missing_still_appears()
    {
        var store = await NewStoreAsync();
        string indexed = await CommitAsync(store, "20260101T000000Z-indexed-000001");
        string lost = await CommitAsync(store, "20260102T000000Z-lost-000002", dataset: "weekly", model: "naive", mase: 1.5);
        await DeleteIndexEntryAsync(store, lost);

        var catalog = new RunCatalogCache(store, clock: new ManualClock());
        var snapshot = await catalog.GetAsync();

        snapshot.Runs.Select(r => r.RunId).Should().Equal(lost, indexed);
        snapshot.Find(lost)!.Should().BeEquivalentTo(new { Dataset = "weekly", Model = "naive", DataSha256 = Sha("weekly") });
        snapshot.Find(lost)!.Metrics["mase"].Should().Be(1.5);

        // Committed later, while the catalog is up, and again without an entry (a writer stopped between manifest
        // and entry): the next full refresh finds it.
        string later = await CommitAsync(store, "20260103T000000Z-later-000003");
        await DeleteIndexEntryAsync(store, later);
        await catalog.RefreshAsync();
        (await catalog.GetAsync()).Runs.Select(r => r.RunId).Should().Equal(later, lost, indexed);
    }

    [Fact]
    public async Task A_half_written_run_never_appears_with_or_without_an_index_entry()
    {
        var store = await NewStoreAsync();
        string committed = await CommitAsync(store, "20260101T000000Z-ok-000001");
        // Files but no manifest: a writer that died before its commit.
        var crashed = new RunWriter(store, "20260102T000000Z-crashed-000002");
        await crashed.PutTextAsync("config.yaml", Config("crashed"));
        await crashed.PutTextAsync("metrics.yaml", Metrics("crashed", "m", 0.1));
        // The same, with an index entry copied from a committed run and renamed: the entry alone must not count.
        const string forged = "20260103T000000Z-forged-000003";
        var forgedWriter = new RunWriter(store, forged);
        await forgedWriter.PutTextAsync("config.yaml", Config("forged"));
        string key = await IndexKeyAsync(store, committed);
        var entry = (await store.GetAsync(key))!;
        await store.PutAsync(key.Replace(committed, forged, StringComparison.Ordinal),
            System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(entry).Replace(committed, forged, StringComparison.Ordinal)));

        var clock = new ManualClock();
        var catalog = new RunCatalogCache(store, new RunCatalogOptions { ChangeCheckWait = TimeSpan.FromMinutes(1) }, clock);
        (await catalog.GetAsync()).Runs.Select(r => r.RunId).Should().Equal(committed);
        clock.Advance(Check);
        (await catalog.GetAsync()).Runs.Select(r => r.RunId).Should().Equal(committed);
        await catalog.RefreshAsync();
        (await catalog.GetAsync()).Runs.Select(r => r.RunId).Should().Equal(committed);
        var reader = new RunReader(catalog);
        (await reader.GetSummaryAsync(forged)).Should().BeNull();
        (await reader.GetSummaryAsync(crashed.RunId)).Should().BeNull();

        // Once the forged run's manifest exists (it commits), it is a run like any other.
        await forgedWriter.CommitAsync();
        await catalog.RefreshAsync();
        (await catalog.GetAsync()).Runs.Select(r => r.RunId).Should().Equal(forged, committed);
    }

    [Fact]
    public async Task A_run_committed_before_manifests_carried_summaries_is_listed_from_its_index_entry()
    {
        var store = new CountingArtifactStore(await NewStoreAsync());
        string old = await CommitAsync(store, "20260101T000000Z-old-000001", dataset: "d1", model: "naive", mase: 0.7);
        var expected = (await new RunCatalogCache(store).GetAsync()).Find(old)!;
        // The manifest without its summary, the entry as the previous version wrote it (the SHA-256 of that manifest).
        var manifest = await RewriteManifestAsync(store, old, m => m with { Catalog = null });
        byte[] manifestJson = manifest.ToJson();
        await store.PutAsync(await IndexKeyAsync(store, old), RunIndexEntry.Create(manifest, manifestJson, expected).ToJson());
        store.Reset();

        var listed = (await new RunCatalogCache(store).GetAsync()).Find(old)!;

        listed.Should().BeEquivalentTo(expected, o => o.Excluding(r => r.Metrics));
        listed.Metrics["mase"].Should().Be(0.7);
        store.Calls.Should().Contain($"get runs/{old}/manifest.json").And.Contain(c => c.StartsWith("get index/runs/", StringComparison.Ordinal))
            .And.NotContain(c => c.EndsWith(".yaml", StringComparison.Ordinal), "the entry describes this very manifest, so no file of the run is read");
    }

    [Fact]
    public async Task A_summary_of_an_older_schema_or_a_damaged_entry_is_rebuilt_from_the_run()
    {
        var store = await NewStoreAsync();
        string stale = await CommitAsync(store, "20260101T000000Z-stale-000001", dataset: "d1", mase: 0.7);
        string damaged = await CommitAsync(store, "20260102T000000Z-damaged-000002", dataset: "d2", mase: 0.9);
        string carriedStale = await CommitAsync(store, "20260103T000000Z-carried-000003", dataset: "d3", mase: 1.1);
        // Runs committed before manifests carried summaries, with a stale and a damaged index entry; and a run whose
        // manifest carries a summary of an older schema.
        var staleManifest = await RewriteManifestAsync(store, stale, m => m with { Catalog = null });
        await RewriteManifestAsync(store, damaged, m => m with { Catalog = null });
        string carriedKey = RunIds.Prefix(carriedStale) + RunManifest.FileName;
        string carried = System.Text.Encoding.UTF8.GetString((await store.GetAsync(carriedKey))!).Replace(RunIndexEntry.CurrentSchema, "summary-000000000000", StringComparison.Ordinal);
        await store.PutAsync(carriedKey, System.Text.Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(carried, "\"dataset\": *\"d3\"", "\"dataset\": \"from an old summary\"")));
        string staleKey = await IndexKeyAsync(store, stale);
        // The stale entry describes the manifest exactly (its SHA-256): only its schema disqualifies it.
        var staleEntry = RunIndexEntry.TryParse((await store.GetAsync(staleKey))!)!;
        string text = System.Text.Encoding.UTF8.GetString(RunIndexEntry.Create(staleManifest, staleManifest.ToJson(), staleEntry.Summary).ToJson());
        await store.PutAsync(staleKey, System.Text.Encoding.UTF8.GetBytes(text.Replace(RunIndexEntry.CurrentSchema, "summary-000000000000", StringComparison.Ordinal)
            .Replace("\"dataset\":\"d1\"", "\"dataset\":\"from an old entry\"", StringComparison.Ordinal)));
        await store.PutAsync(await IndexKeyAsync(store, damaged), "{\"schema\": 1, \"summ"u8.ToArray());

        var snapshot = await new RunCatalogCache(store).GetAsync();

        snapshot.Find(stale)!.Dataset.Should().Be("d1");
        snapshot.Find(damaged)!.Dataset.Should().Be("d2");
        snapshot.Find(damaged)!.Metrics["mase"].Should().Be(0.9);
        snapshot.Find(carriedStale)!.Dataset.Should().Be("d3");
    }

    [Fact]
    public async Task A_deleted_run_leaves_the_list_at_the_next_full_refresh()
    {
        var store = await NewStoreAsync();
        string kept = await CommitAsync(store, "20260101T000000Z-kept-000001");
        string deleted = await CommitAsync(store, "20260102T000000Z-deleted-000002");
        var catalog = new RunCatalogCache(store);
        (await catalog.GetAsync()).Runs.Should().HaveCount(2);

        await foreach (var file in store.ListAsync(RunIds.Prefix(deleted))) await store.DeleteAsync(file.Key);
        await catalog.RefreshAsync();

        (await catalog.GetAsync()).Runs.Select(r => r.RunId).Should().Equal(kept);
    }

    [Fact]
    public async Task A_due_full_refresh_runs_in_the_background_while_requests_keep_the_current_list()
    {
        var store = new CountingArtifactStore(await NewStoreAsync());
        await CommitAsync(store, "20260101T000000Z-a-000001");
        var clock = new ManualClock();
        var catalog = new RunCatalogCache(store, new RunCatalogOptions { FullRefreshInterval = TimeSpan.FromMinutes(5) }, clock);
        var first = await catalog.GetAsync();

        string later = await CommitAsync(store, "20260102T000000Z-b-000002");
        await DeleteIndexEntryAsync(store, later);
        clock.Advance(TimeSpan.FromMinutes(5));
        (await catalog.GetAsync()).Should().BeSameAs(first, "the refresh it started runs in the background");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (catalog.Current!.Find(later) is null && DateTime.UtcNow < deadline) await Task.Delay(20);
        catalog.Current!.Runs.Should().HaveCount(2);
        catalog.Current.Version.Should().BeGreaterThan(first.Version);
    }

    [Fact]
    public async Task Pages_filters_and_leaderboards_are_computed_from_the_summaries()
    {
        var store = await NewStoreAsync();
        var ids = new List<string>();
        for (int day = 1; day <= 6; day++)
            ids.Add(await CommitAsync(store, $"202601{day:00}T000000Z-r-00000{day}", dataset: day % 2 == 0 ? "even" : "odd",
                model: day <= 3 ? "prophet" : "naive", mase: day / 10.0));
        var snapshot = await new RunCatalogCache(store).GetAsync();

        var (total, second) = snapshot.Page(RunFilter.None, 2, 4);
        total.Should().Be(6);
        second.Select(r => r.RunId).Should().Equal(ids[1], ids[0]);
        snapshot.Page(RunFilter.None, 3, 4).Items.Should().BeEmpty();
        snapshot.Page(new RunFilter(Dataset: "even"), 1, 10).Items.Select(r => r.RunId).Should().Equal(ids[5], ids[3], ids[1]);
        snapshot.Page(new RunFilter(Model: "prophet", StartedFrom: new DateTime(2026, 1, 2), StartedBefore: new DateTime(2026, 1, 3)), 1, 10)
            .Items.Select(r => r.RunId).Should().Equal(ids[1]);
        snapshot.Page(new RunFilter(Status: "aborted"), 1, 10).Total.Should().Be(0);
        snapshot.Count(new RunFilter(Search: "R-000003")).Should().Be(1);

        var board = snapshot.Leaderboard();
        board.Should().BeEquivalentTo(RunLeaderboard.Build(snapshot.Runs));
        snapshot.Leaderboard().Should().BeSameAs(board, "a leaderboard is built once per version of the list");
        snapshot.Leaderboard("odd").Entries.Should().OnlyContain(e => e.Dataset == "odd");
    }

    // A committed run as RunWriter leaves it: config.yaml, data_fingerprint.yaml, metrics.yaml (with per_series last,
    // as MetricsReport writes it), optional model files, then the manifest and the index entry.
    protected static async Task<string> CommitAsync(IArtifactStore store, string runId, string dataset = "d", string model = "m", double mase = 1.0, int modelFiles = 0)
    {
        var writer = new RunWriter(store, runId, new FixedClock(DateTime.ParseExact(runId[..16], "yyyyMMdd'T'HHmmss'Z'", null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal)));
        await writer.PutTextAsync("config.yaml", Config(dataset, model));
        await writer.PutTextAsync(RunDataFingerprint.FileName, $"path: data/{dataset}.csv\nsha256: {Sha(dataset)}\nrows: 96\nseries: 2\n");
        await writer.PutTextAsync("metrics.yaml", Metrics(dataset, model, mase));
        await writer.PutTextAsync("forecasts.csv", "unique_id,ds,mean\na,2026-01-01,1\n");
        for (int i = 0; i < modelFiles; i++) await writer.PutTextAsync($"model/prophet/s{i}.json", "{}");
        await writer.CommitAsync();
        writer.IndexWarning.Should().BeNull();
        return runId;
    }

    protected static string Config(string dataset, string model = "m") => $"run:\n  name: nightly\ndata:\n  path: data/{dataset}.csv\nmodel:\n  name: {model}\n";

    protected static string Metrics(string dataset, string model, double mase) => System.FormattableString.Invariant($"""
        evaluation:
          mode: holdout
          horizon: 12
          windows: 1
        dataset:
          name: {dataset}
          series: 2
          model: {model}
          metrics:
            mase: {mase:R}
            wql: .nan
          relative_to_seasonal_naive:
            mase: {mase * 2:R}
        per_series:
        - id: a
          metrics:
            mase: 1
        """) + "\n";

    protected static string Sha(string dataset) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataset)));

    private static async Task<string> IndexKeyAsync(IArtifactStore store, string runId)
    {
        await foreach (var info in store.ListAsync(RunIndex.Prefix))
            if (RunIndex.TryParseKey(info.Key, out string id) && id == runId) return info.Key;
        throw new InvalidOperationException($"{runId} has no index entry.");
    }

    /// <summary>Rewrites the manifest of <paramref name="runId"/> as <paramref name="change"/> makes it (a run written by an older version).</summary>
    private static async Task<RunManifest> RewriteManifestAsync(IArtifactStore store, string runId, Func<RunManifest, RunManifest> change)
    {
        string key = RunIds.Prefix(runId) + RunManifest.FileName;
        var manifest = change(RunManifest.Parse((await store.GetAsync(key))!, key));
        await store.PutAsync(key, manifest.ToJson());
        return manifest;
    }

    private static async Task DeleteIndexEntryAsync(IArtifactStore store, string runId) => await store.DeleteAsync(await IndexKeyAsync(store, runId));

    private sealed class FixedClock(DateTime utc) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utc, TimeSpan.Zero);
    }
}

public sealed class LocalFolderRunCatalogCacheTests : RunCatalogCacheTests, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "forecast-catalog-tests", Guid.NewGuid().ToString("N"));

    protected override Task<IArtifactStore> NewStoreAsync() => Task.FromResult<IArtifactStore>(new LocalFolderArtifactStore(_root));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}

[Collection(S3rverCollection.Name)]
public sealed class S3RunCatalogCacheTests(S3rverFixture fixture) : RunCatalogCacheTests, IDisposable
{
    private readonly S3ObjectStorage _storage = fixture.Server.CreateStorage();

    protected override async Task<IArtifactStore> NewStoreAsync() => new S3ArtifactStore(_storage, (await fixture.Server.NewBucketAsync()).Append("team/forecasts"));

    public void Dispose() => _storage.Dispose();
}

public sealed class RunIndexTests
{
    [Fact]
    public void Index_keys_sort_newest_commit_first_and_give_back_the_run_id()
    {
        string older = RunIndex.KeyOf("20260101T000000Z-a-000001", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        string newer = RunIndex.KeyOf("20251231T000000Z-b-000002", new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc));

        string.CompareOrdinal(newer, older).Should().BeNegative("S3 lists keys in ascending order, so the newest commit comes first");
        RunIndex.TryParseKey(newer, out string id).Should().BeTrue();
        id.Should().Be("20251231T000000Z-b-000002");
    }

    [Theory]
    [InlineData("index/runs/readme.txt")]
    [InlineData("index/runs/123-a.json")]
    [InlineData("index/runs/2516347295999999999-..json")]
    [InlineData("index/runs/2516347295999999999_a.json")]
    [InlineData("index/runs/2516347295999999999-a.json.1f2e.partial")]
    [InlineData("runs/2516347295999999999-a.json")]
    public void Other_keys_under_the_index_are_not_entries(string key)
    {
        RunIndex.TryParseKey(key, out _).Should().BeFalse();
    }
}
