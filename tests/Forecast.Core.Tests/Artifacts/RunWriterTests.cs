using System.Security.Cryptography;
using Forecast.Core.Artifacts;

namespace Forecast.Core.Tests.Artifacts;

public sealed class RunWriterTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "forecast-run-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task CommitWritesTheManifestLastWithSizesAndHashes()
    {
        var store = new LocalFolderArtifactStore(_root);
        var writer = new RunWriter(store, "r1");
        await writer.PutTextAsync("metrics.yaml", "mase: 1\n");
        await writer.PutAsync("plots/a.png", new byte[] { 1, 2 });

        (await RunCatalog.ListCommittedAsync(store)).Should().BeEmpty("until the manifest exists the run is not there for readers");
        var manifest = await writer.CommitAsync();

        manifest.Status.Should().Be("committed");
        manifest.Files.Should().Equal(
            new ManifestEntry("metrics.yaml", 8, Convert.ToHexStringLower(SHA256.HashData("mase: 1\n"u8))),
            new ManifestEntry("plots/a.png", 2, Convert.ToHexStringLower(SHA256.HashData(new byte[] { 1, 2 }))));
        var committed = (await RunCatalog.ListCommittedAsync(store)).Should().ContainSingle().Subject;
        committed.RunId.Should().Be("r1");
        committed.Files.Should().Equal(manifest.Files);
        (await RunCatalog.VerifyAsync(store, committed)).Should().BeEmpty();
        string json = await File.ReadAllTextAsync(Path.Combine(_root, "runs", "r1", "manifest.json"));
        json.Should().Contain("\"run_id\": \"r1\"").And.Contain("\"sha256\"");
    }

    [Fact]
    public async Task AbortRemovesWhatTheRunWroteAndReadersNeverSeeIt()
    {
        var store = new LocalFolderArtifactStore(_root);
        var writer = new RunWriter(store, "failed");
        await writer.PutTextAsync("config.yaml", "x: 1\n");
        await writer.PutTextAsync("eda/eda.yaml", "y: 2\n");
        await writer.AbortAsync();

        (await store.ListAsync("runs/").ToListAsync()).Should().BeEmpty();
        (await RunCatalog.GetAsync(store, "failed")).Should().BeNull();
        await writer.Invoking(w => w.PutTextAsync("late.yaml", "")).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task VerifyFindsFilesChangedAfterTheCommit()
    {
        var store = new LocalFolderArtifactStore(_root);
        var writer = new RunWriter(store, "r2");
        await writer.PutTextAsync("forecasts.csv", "a\n");
        var manifest = await writer.CommitAsync();
        await store.PutAsync("runs/r2/forecasts.csv", "tampered\n"u8.ToArray());
        (await RunCatalog.VerifyAsync(store, manifest)).Should().Equal("forecasts.csv");
    }

    [Fact]
    public async Task TheManifestNameIsReservedAndPathsAreUnique()
    {
        var writer = new RunWriter(new LocalFolderArtifactStore(_root), "r3");
        await writer.Invoking(w => w.PutTextAsync("manifest.json", "{}")).Should().ThrowAsync<ArgumentException>();
        await writer.PutTextAsync("a.txt", "1");
        await writer.Invoking(w => w.PutTextAsync("a.txt", "2")).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public void RunIdsSortByTimeAndCarryTheRunName()
    {
        var id = RunIds.New("Nightly Sales/EU", new DateTime(2026, 11, 27, 6, 15, 0, DateTimeKind.Utc));
        id.Should().MatchRegex("^20261127T061500Z-nightly-sales-eu-[0-9a-f]{6}$");
    }
}
