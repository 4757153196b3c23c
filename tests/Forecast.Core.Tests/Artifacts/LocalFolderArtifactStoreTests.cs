using Forecast.Core.Artifacts;

namespace Forecast.Core.Tests.Artifacts;

public sealed class LocalFolderArtifactStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "forecast-store-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task PutGetListDeleteByKey()
    {
        var store = new LocalFolderArtifactStore(_root);
        await store.PutAsync("runs/a/metrics.yaml", "mase: 1\n"u8.ToArray());
        await store.PutAsync("runs/a/plots/x.png", new byte[] { 1, 2, 3 });
        await store.PutAsync("runs/b/manifest.json", "{}"u8.ToArray());

        (await store.GetAsync("runs/a/metrics.yaml")).Should().Equal("mase: 1\n"u8.ToArray());
        (await store.GetAsync("runs/a/absent")).Should().BeNull();
        var listed = await store.ListAsync("runs/a/").ToListAsync();
        listed.Should().Equal(new ArtifactInfo("runs/a/metrics.yaml", 8), new ArtifactInfo("runs/a/plots/x.png", 3));
        (await store.ListAsync("runs/").CountAsync()).Should().Be(3);

        await store.DeleteAsync("runs/a/plots/x.png");
        await store.DeleteAsync("runs/a/plots/x.png"); // deleting a missing key is fine, as on S3
        Directory.Exists(Path.Combine(_root, "runs", "a", "plots")).Should().BeFalse("emptied folders go with their last object");
        store.Describe("runs/a/metrics.yaml").Should().Be(Path.Combine(_root, "runs", "a", "metrics.yaml"));
    }

    [Fact]
    public async Task FoldersAreListedOncePerFolderAndObjectsAreStatedWithoutReadingThem()
    {
        var store = new LocalFolderArtifactStore(_root);
        await store.PutAsync("runs/b/manifest.json", "{}"u8.ToArray());
        await store.PutAsync("runs/a/model/prophet/s1.json", "{}"u8.ToArray());
        await store.PutAsync("runs/a/metrics.yaml", "mase: 1\n"u8.ToArray());
        await store.PutAsync("runs/B/x", "1"u8.ToArray());
        await store.PutAsync("index/runs/1-a.json", "{}"u8.ToArray());

        (await store.ListFoldersAsync("runs/").ToListAsync()).Should().Equal("runs/B/", "runs/a/", "runs/b/");
        (await store.ListFoldersAsync("").ToListAsync()).Should().Equal("index/", "runs/");
        (await store.ListFoldersAsync("nothing/").ToListAsync()).Should().BeEmpty();
        await store.Invoking(s => s.ListFoldersAsync("runs").ToListAsync().AsTask()).Should().ThrowAsync<ArgumentException>().WithMessage("*ends with '/'*");
        (await store.GetInfoAsync("runs/a/metrics.yaml")).Should().Be(new ArtifactInfo("runs/a/metrics.yaml", 8));
        (await store.GetInfoAsync("runs/a/manifest.json")).Should().BeNull();
    }

    [Fact]
    public async Task PutReplacesWholeObjectsAndLeavesNoTemporaryFiles()
    {
        var store = new LocalFolderArtifactStore(_root);
        await store.PutAsync("k", new byte[1000]);
        await store.PutAsync("k", new byte[] { 7 });
        (await store.GetAsync("k")).Should().Equal(7);
        Directory.GetFiles(_root).Should().ContainSingle();
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("")]
    public async Task KeysMustBeRelativeSlashPaths(string key)
    {
        var store = new LocalFolderArtifactStore(_root);
        await store.Invoking(s => s.PutAsync(key, new byte[1])).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task UnwritableLocationNamesThePath()
    {
        Directory.CreateDirectory(_root);
        string file = Path.Combine(_root, "file");
        await File.WriteAllTextAsync(file, "x");
        var store = new LocalFolderArtifactStore(file); // a file where the root folder should be
        var error = await store.Invoking(s => s.PutAsync("runs/a/config.yaml", new byte[1])).Should().ThrowAsync<ArtifactStoreException>();
        error.Which.Location.Should().StartWith(file);
        error.Which.Message.Should().Contain("run.output");
    }
}
