using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.Checkpoints;

/// <summary>The hub client against a real HTTP server on 127.0.0.1 serving the official tiny checkpoints.</summary>
public class HubDownloadTests : IDisposable
{
    private const string BoltRepo = "amazon/chronos-bolt-dummy";
    private const string T5Repo = "amazon/chronos-t5-dummy";
    private readonly LocalHubServer server = new();
    private readonly TempFolder cache = new();
    private readonly string boltFolder = Fixtures.Dummy("dummy-chronos-bolt-model", "model");
    private readonly string boltCommit;

    public HubDownloadTests()
    {
        boltCommit = server.AddRepo(BoltRepo, boltFolder);
        server.AddRepo(T5Repo, Fixtures.Dummy("dummy-chronos-model", "model"));
    }

    public void Dispose()
    {
        server.Dispose();
        cache.Dispose();
    }

    private HuggingFaceHubOptions Options(string? token = null, bool offline = false) => new()
    {
        Endpoint = server.Endpoint, CacheDirectory = cache.Path, Token = token, Offline = offline,
    };

    private async Task<string> Download(string repo, HuggingFaceHubOptions? options = null, string revision = "main")
    {
        using var client = new HuggingFaceHubClient(options ?? Options());
        return await new HuggingFaceHubCheckpointSource(client).DownloadSnapshotAsync(repo, revision);
    }

    [Fact]
    public async Task Downloads_a_checkpoint_into_the_Hugging_Face_cache_layout()
    {
        var snapshot = await Download(BoltRepo);

        var repoFolder = cache.File("models--amazon--chronos-bolt-dummy");
        snapshot.Should().Be(Path.Combine(repoFolder, "snapshots", boltCommit));
        File.ReadAllText(Path.Combine(repoFolder, "refs", "main")).Should().Be(boltCommit);
        var weights = Path.Combine(snapshot, "model.safetensors");
        var weightBytes = File.ReadAllBytes(Path.Combine(boltFolder, "model.safetensors"));
        new FileInfo(weights).LinkTarget.Should().Be(Path.Combine("..", "..", "blobs", LocalHubServer.Sha256(weightBytes)));
        File.ReadAllBytes(weights).Should().Equal(weightBytes);
        var configBytes = File.ReadAllBytes(Path.Combine(boltFolder, "config.json"));
        File.Exists(Path.Combine(repoFolder, "blobs", LocalHubServer.GitBlobSha1(configBytes))).Should().BeTrue();
        Directory.EnumerateFiles(repoFolder, "*.incomplete", SearchOption.AllDirectories).Should().BeEmpty();

        ChronosCheckpointConfig.ReadFolder(snapshot).Family.Should().Be(ChronosModelFamily.ChronosBolt);
        using var checkpoint = SafetensorsCheckpoint.Open(snapshot);
        checkpoint.Names.Should().HaveCount(101);
    }

    [Fact]
    public async Task The_LFS_blob_comes_from_the_redirect_without_the_token_and_the_resolve_calls_carry_it()
    {
        server.AddRepo("acme/private-bolt", boltFolder, requiredToken: "hf_secret");

        await Download("acme/private-bolt", Options(token: "hf_secret"));

        server.Requests.Where(r => r.Path.StartsWith("/acme/", StringComparison.Ordinal))
            .Should().OnlyContain(r => r.Authorization == "Bearer hf_secret");
        server.Requests.Where(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(r => r.Authorization == null);
    }

    [Fact]
    public async Task Optional_files_are_fetched_when_the_repository_has_them()
    {
        var snapshot = await Download(T5Repo);

        Directory.EnumerateFileSystemEntries(snapshot).Select(Path.GetFileName)
            .Should().BeEquivalentTo(["config.json", "generation_config.json", "model.safetensors"]);
    }

    [Fact]
    public async Task A_second_resolve_downloads_nothing_and_offline_mode_makes_no_request()
    {
        var first = await Download(BoltRepo);
        var gets = server.Requests.Count(r => r.Method == "GET");

        var second = await Download(BoltRepo);
        server.Requests.Count(r => r.Method == "GET").Should().Be(gets, "only HEADs check the revision");
        var requests = server.Requests.Count;
        var offline = await Download(BoltRepo, Options(offline: true));

        second.Should().Be(first);
        offline.Should().Be(first);
        server.Requests.Count.Should().Be(requests);
    }

    [Fact]
    public async Task A_pinned_commit_in_the_cache_needs_no_request()
    {
        await Download(BoltRepo);
        var requests = server.Requests.Count;

        var pinned = await Download(BoltRepo, revision: boltCommit);

        pinned.Should().EndWith(boltCommit);
        server.Requests.Count.Should().Be(requests);
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_with_a_range_request()
    {
        server.DropOnceAfter["model.safetensors"] = 30_000;

        var snapshot = await Download(BoltRepo);

        File.ReadAllBytes(Path.Combine(snapshot, "model.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(boltFolder, "model.safetensors")));
        server.Requests.Where(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).Select(r => r.Range)
            .Should().Equal(null, "bytes=30000-");
    }

    [Fact]
    public async Task A_partial_file_left_by_an_earlier_run_is_resumed()
    {
        var bytes = File.ReadAllBytes(Path.Combine(boltFolder, "model.safetensors"));
        var blobs = cache.File("models--amazon--chronos-bolt-dummy", "blobs");
        Directory.CreateDirectory(blobs);
        File.WriteAllBytes(Path.Combine(blobs, LocalHubServer.Sha256(bytes) + ".incomplete"), bytes[..12_345]);

        var snapshot = await Download(BoltRepo);

        File.ReadAllBytes(Path.Combine(snapshot, "model.safetensors")).Should().Equal(bytes);
        server.Requests.Where(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).Select(r => r.Range).Should().Equal("bytes=12345-");
    }

    [Fact]
    public async Task A_gated_repository_without_a_token_is_a_401_naming_HF_TOKEN()
    {
        server.AddRepo("acme/gated-bolt", boltFolder, requiredToken: "hf_secret", gated: true);

        var error = (await FluentActions.Awaiting(() => Download("acme/gated-bolt")).Should().ThrowAsync<HubDownloadException>()).Which;

        error.Problem.Should().Be(HubProblem.Unauthorized);
        error.StatusCode.Should().Be(401);
        error.Message.Should().Contain("HF_TOKEN").And.Contain("/acme/gated-bolt/resolve/main/config.json");
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_never_appears_in_the_message()
    {
        server.AddRepo("acme/gated-bolt", boltFolder, requiredToken: "hf_secret", gated: true);

        var error = (await FluentActions.Awaiting(() => Download("acme/gated-bolt", Options(token: "hf_wrong_token_value")))
            .Should().ThrowAsync<HubDownloadException>()).Which;

        error.Problem.Should().Be(HubProblem.Unauthorized);
        error.ToString().Should().NotContain("hf_wrong_token_value");
        Options(token: "hf_wrong_token_value").ToString().Should().NotContain("hf_wrong_token_value");
    }

    [Fact]
    public async Task A_private_repository_without_a_token_reads_as_not_found_with_the_token_hint()
    {
        server.AddRepo("acme/private-bolt", boltFolder, requiredToken: "hf_secret");

        var error = (await FluentActions.Awaiting(() => Download("acme/private-bolt")).Should().ThrowAsync<HubDownloadException>()).Which;

        error.Problem.Should().Be(HubProblem.RepositoryNotFound);
        error.Message.Should().Contain("set HF_TOKEN");
    }

    [Fact]
    public async Task An_unknown_repository_or_revision_is_a_named_404()
    {
        var repo = (await FluentActions.Awaiting(() => Download("amazon/no-such-model")).Should().ThrowAsync<HubDownloadException>()).Which;
        var revision = (await FluentActions.Awaiting(() => Download(BoltRepo, revision: "v9")).Should().ThrowAsync<HubDownloadException>()).Which;

        repo.Problem.Should().Be(HubProblem.RepositoryNotFound);
        repo.StatusCode.Should().Be(404);
        revision.Problem.Should().Be(HubProblem.RevisionNotFound);
    }

    [Fact]
    public async Task A_body_shorter_than_the_announced_size_is_an_integrity_error_and_nothing_is_kept()
    {
        server.Short["model.safetensors"] = true;

        var error = (await FluentActions.Awaiting(() => Download(BoltRepo)).Should().ThrowAsync<HubDownloadException>()).Which;

        error.Problem.Should().Be(HubProblem.IntegrityMismatch);
        error.Message.Should().Contain("85308 bytes").And.Contain("85408");
        Directory.EnumerateFiles(cache.Path, "*.incomplete", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task Content_whose_sha256_differs_from_the_etag_is_an_integrity_error()
    {
        server.Corrupt["model.safetensors"] = true;

        var error = (await FluentActions.Awaiting(() => Download(BoltRepo)).Should().ThrowAsync<HubDownloadException>()).Which;

        error.Problem.Should().Be(HubProblem.IntegrityMismatch);
        error.Message.Should().Contain(LocalHubServer.Sha256(File.ReadAllBytes(Path.Combine(boltFolder, "model.safetensors"))));
        Directory.EnumerateFiles(cache.File("models--amazon--chronos-bolt-dummy", "blobs")).Should().NotContain(f => f.Contains(".incomplete"));
    }

    [Fact]
    public async Task A_regular_file_is_checked_against_its_git_blob_sha1()
    {
        server.Corrupt["config.json"] = true;

        var error = (await FluentActions.Awaiting(() => Download(BoltRepo)).Should().ThrowAsync<HubDownloadException>()).Which;

        error.Problem.Should().Be(HubProblem.IntegrityMismatch);
    }

    [Fact]
    public async Task Offline_without_a_cached_copy_is_a_named_error()
    {
        var error = (await FluentActions.Awaiting(() => Download(BoltRepo, Options(offline: true))).Should().ThrowAsync<HubDownloadException>()).Which;

        error.Problem.Should().Be(HubProblem.NotInOfflineCache);
        error.Message.Should().Contain("HF_HUB_OFFLINE");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_sharded_repository_downloads_its_index_and_every_shard()
    {
        using var source = new TempFolder();
        File.Copy(Path.Combine(boltFolder, "config.json"), source.File("config.json"));
        using (var file = SafetensorsFile.Open(Path.Combine(boltFolder, "model.safetensors")))
            SafetensorsShardWriter.Write(source.Path, file.Header.Tensors.Select(t => new SafetensorsTensorSpec(t.Name, t.DType, t.Shape)).ToList(),
                (spec, stream) => stream.Write(file.GetBytes(spec.Name)), maxShardBytes: 30_000);
        server.AddRepo("acme/sharded-bolt", source.Path);

        var snapshot = await Download("acme/sharded-bolt");

        var shards = SafetensorsIndex.Read(source.File(SafetensorsIndex.FileName)).Shards;
        shards.Should().HaveCountGreaterThan(1);
        Directory.EnumerateFileSystemEntries(snapshot).Select(Path.GetFileName).Should().BeEquivalentTo(
            ["config.json", "model.safetensors.index.json", .. shards]);
        using var checkpoint = SafetensorsCheckpoint.Open(snapshot);
        using var original = SafetensorsFile.Open(Path.Combine(boltFolder, "model.safetensors"));
        foreach (var name in original.Names)
            checkpoint.GetBytes(name).SequenceEqual(original.GetBytes(name)).Should().BeTrue(name);
    }

    [Fact]
    public async Task Concurrent_downloads_of_the_same_checkpoint_fetch_each_blob_once()
    {
        var downloads = Enumerable.Range(0, 4).Select(_ => Task.Run(() => Download(BoltRepo))).ToArray();

        var snapshots = await Task.WhenAll(downloads);

        snapshots.Distinct().Should().ContainSingle();
        server.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).Should().Be(1);
        File.ReadAllBytes(Path.Combine(snapshots[0], "model.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(boltFolder, "model.safetensors")));
    }

    [Theory]
    [InlineData("../../outside.json", "main")]
    [InlineData("/etc/passwd", "main")]
    [InlineData("config.json", "../x")]
    public async Task Paths_that_would_leave_the_cache_are_refused(string file, string revision)
    {
        using var client = new HuggingFaceHubClient(Options());

        await FluentActions.Awaiting(() => client.DownloadFileAsync(BoltRepo, file, revision)).Should().ThrowAsync<ArgumentException>();
        server.Requests.Should().BeEmpty();
    }

    private sealed class Recorder : IProgress<HubDownloadProgress>
    {
        public List<HubDownloadProgress> Reports { get; } = [];

        public void Report(HubDownloadProgress value)
        {
            lock (Reports)
                Reports.Add(value);
        }
    }

    [Fact]
    public async Task Progress_is_reported_per_file_and_ends_at_the_total()
    {
        var recorder = new Recorder();

        await Download(BoltRepo, Options() with { Progress = recorder });

        recorder.Reports.Select(r => r.File).Distinct().Should().BeEquivalentTo(["config.json", "model.safetensors"]);
        recorder.Reports.Where(r => r.File == "model.safetensors").Last().Should().Be(
            new HubDownloadProgress(BoltRepo, "model.safetensors", 85408, 85408));
    }

    [Fact]
    public async Task A_transient_503_is_retried()
    {
        server.UnavailableTimes["model.safetensors"] = 2;

        var snapshot = await Download(BoltRepo);

        File.ReadAllBytes(Path.Combine(snapshot, "model.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(boltFolder, "model.safetensors")));
        server.Requests.Count(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).Should().Be(3);
    }

    [Fact]
    public async Task A_server_that_keeps_failing_is_a_transfer_error_after_the_retries()
    {
        server.UnavailableTimes["model.safetensors"] = 100;

        var error = (await FluentActions.Awaiting(() => Download(BoltRepo, Options() with { MaxResumeAttempts = 1 }))
            .Should().ThrowAsync<HubDownloadException>()).Which;

        error.Problem.Should().Be(HubProblem.Transfer);
        error.Message.Should().Contain("failed 2 times").And.Contain("HTTP 503");
    }

    [Fact]
    public async Task A_cancelled_download_stops_and_leaves_the_cache_resumable()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        using var client = new HuggingFaceHubClient(Options());

        await FluentActions.Awaiting(() => new HuggingFaceHubCheckpointSource(client).DownloadSnapshotAsync(BoltRepo, "main", cancellation.Token))
            .Should().ThrowAsync<OperationCanceledException>();

        (await Download(BoltRepo)).Should().EndWith(boltCommit);
    }
}
