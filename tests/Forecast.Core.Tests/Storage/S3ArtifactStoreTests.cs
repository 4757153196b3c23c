using System.Text;
using Forecast.Core.Artifacts;
using Forecast.Core.Storage;

namespace Forecast.Core.Tests.Storage;

/// <summary>The pipeline's run commit (files, then manifest.json) on a real S3 (s3rver), read back byte for byte.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3ArtifactStoreTests(S3rverFixture fixture) : IDisposable
{
    private readonly S3rverProcess _server = fixture.Server;
    private readonly S3ObjectStorage _storage = fixture.Server.CreateStorage();

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task A_committed_run_is_listed_and_every_file_reads_back_byte_for_byte()
    {
        var bucket = await _server.NewBucketAsync();
        var store = new S3ArtifactStore(_storage, bucket.Append("team/forecasts"));
        var files = new Dictionary<string, byte[]>
        {
            ["config.yaml"] = Encoding.UTF8.GetBytes("run:\n  name: s3\n"),
            ["forecasts.csv"] = Encoding.UTF8.GetBytes("unique_id,ds,mean\nA,2020-01-01,1.5\n"),
            ["plots/A.png"] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 255],
        };
        var writer = new RunWriter(store, RunIds.New("s3", DateTime.UtcNow));
        foreach (var (path, content) in files) await writer.PutAsync(path, content);

        var manifest = await writer.CommitAsync();

        writer.Location.Should().Be($"s3://{bucket.Bucket}/team/forecasts/runs/{writer.RunId}/");
        (await RunCatalog.ListCommittedAsync(store)).Select(m => m.RunId).Should().Equal(writer.RunId);
        (await RunCatalog.VerifyAsync(store, manifest)).Should().BeEmpty();
        foreach (var (path, content) in files)
            (await _storage.ReadAllBytesAsync(bucket.Append($"team/forecasts/runs/{writer.RunId}/{path}"))).Should().Equal(content);
        (await store.GetAsync($"runs/{writer.RunId}/manifest.json")).Should().Equal(manifest.ToJson());
    }

    [Fact]
    public async Task A_run_without_its_manifest_is_invisible_and_an_aborted_run_leaves_nothing()
    {
        var bucket = await _server.NewBucketAsync();
        var store = new S3ArtifactStore(_storage, bucket);
        var unfinished = new RunWriter(store, RunIds.New("unfinished", DateTime.UtcNow));
        await unfinished.PutTextAsync("metrics.yaml", "mase: 1.0\n");
        var aborted = new RunWriter(store, RunIds.New("aborted", DateTime.UtcNow));
        await aborted.PutTextAsync("metrics.yaml", "mase: 1.0\n");

        await aborted.AbortAsync();

        (await RunCatalog.ListCommittedAsync(store)).Should().BeEmpty();
        (await RunCatalog.GetAsync(store, unfinished.RunId)).Should().BeNull();
        (await store.ListAsync($"runs/{aborted.RunId}/").ToListAsync()).Should().BeEmpty();
        (await store.ListAsync("runs/").ToListAsync()).Select(i => i.Key).Should().Equal($"runs/{unfinished.RunId}/metrics.yaml");
    }

    [Fact]
    public async Task Keys_list_relative_to_the_root_in_ordinal_order_with_sizes()
    {
        var bucket = await _server.NewBucketAsync();
        var store = new S3ArtifactStore(_storage, bucket.Append("root/"));
        await store.PutAsync("b/2.txt", "22"u8.ToArray());
        await store.PutAsync("a/1.txt", "1"u8.ToArray());
        await store.PutAsync("B/3.txt", "333"u8.ToArray());
        await _storage.UploadAsync(bucket.Append("rootless.txt"), "x"u8.ToArray());

        var listed = await store.ListAsync("").ToListAsync();

        listed.Should().Equal(new ArtifactInfo("B/3.txt", 3), new ArtifactInfo("a/1.txt", 1), new ArtifactInfo("b/2.txt", 2));
        store.Describe("a/1.txt").Should().Be($"s3://{bucket.Bucket}/root/a/1.txt");
        (await store.GetAsync("missing.txt")).Should().BeNull();
    }

    [Fact]
    public async Task Folders_are_common_prefixes_relative_to_the_root_and_objects_are_stated_by_HEAD()
    {
        var bucket = await _server.NewBucketAsync();
        var store = new S3ArtifactStore(_storage, bucket.Append("root"));
        await store.PutAsync("runs/b/manifest.json", "{}"u8.ToArray());
        await store.PutAsync("runs/a/model/prophet/s1.json", "{}"u8.ToArray());
        await store.PutAsync("runs/a/metrics.yaml", "mase: 1\n"u8.ToArray());
        await store.PutAsync("runs/B/x", "1"u8.ToArray());
        await store.PutAsync("runs/loose.txt", "1"u8.ToArray());
        await _storage.UploadAsync(bucket.Append("rootless/runs/z/x"), "x"u8.ToArray());

        (await store.ListFoldersAsync("runs/").ToListAsync()).Should().Equal("runs/B/", "runs/a/", "runs/b/");
        (await store.ListFoldersAsync("").ToListAsync()).Should().Equal("runs/");
        (await store.ListFoldersAsync("nothing/").ToListAsync()).Should().BeEmpty();
        (await store.GetInfoAsync("runs/a/metrics.yaml")).Should().Be(new ArtifactInfo("runs/a/metrics.yaml", 8));
        (await store.GetInfoAsync("runs/a/manifest.json")).Should().BeNull();
    }

    [Fact]
    public async Task Folders_are_listed_across_pages()
    {
        var bucket = await _server.NewBucketAsync();
        var options = _server.Options();
        options.ListPageSize = 2;
        using var storage = _server.CreateStorage(options);
        var store = new S3ArtifactStore(storage, bucket);
        for (int i = 0; i < 5; i++)
        {
            await store.PutAsync($"runs/r{i}/manifest.json", "{}"u8.ToArray());
            await store.PutAsync($"runs/r{i}/config.yaml", "x"u8.ToArray());
        }

        (await store.ListFoldersAsync("runs/").ToListAsync()).Should().Equal("runs/r0/", "runs/r1/", "runs/r2/", "runs/r3/", "runs/r4/");
    }

    [Fact]
    public async Task Invalid_keys_are_rejected_before_any_request()
    {
        var store = new S3ArtifactStore(_storage, S3Uri.Parse("s3://any-bucket/x"));

        var put = () => store.PutAsync("runs/../escape.txt", "x"u8.ToArray());

        await put.Should().ThrowAsync<ArgumentException>().WithMessage("*'..'*");
    }
}
