using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.Checkpoints;

public class CheckpointResolverTests : IDisposable
{
    private readonly TempFolder cache = new();

    public void Dispose() => cache.Dispose();

    private CheckpointResolver NewResolver() =>
        new(new HuggingFaceHubOptions { Endpoint = new Uri("http://127.0.0.1:9"), CacheDirectory = cache.Path });

    /// <summary>An object store over a local folder standing in for a bucket (a real implementation, not a mock).</summary>
    private sealed class FolderObjectStore(string bucketsRoot) : ICheckpointObjectStore
    {
        public int Downloads { get; private set; }

        public IReadOnlyCollection<string> Schemes => ["s3"];

        public Task DownloadFolderAsync(Uri source, string targetFolder, CancellationToken cancellationToken)
        {
            Downloads++;
            var prefix = Path.Combine(bucketsRoot, source.Host, source.AbsolutePath.TrimStart('/'));
            foreach (var file in Directory.EnumerateFiles(prefix, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(targetFolder, Path.GetRelativePath(prefix, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_local_folder_resolves_to_itself()
    {
        using var resolver = NewResolver();
        var folder = Fixtures.SetA("chronos-t5", "model");

        (await resolver.ResolveAsync(folder)).Should().Be(Path.GetFullPath(folder));
        (await resolver.ResolveAsync(new Uri(Path.GetFullPath(folder)).AbsoluteUri)).Should().Be(Path.GetFullPath(folder));
    }

    [Fact]
    public async Task A_local_folder_without_config_json_is_named()
    {
        using var resolver = NewResolver();

        await FluentActions.Awaiting(() => resolver.ResolveAsync(cache.Path)).Should().ThrowAsync<FileNotFoundException>()
            .WithMessage("*no config.json*");
    }

    [Fact]
    public async Task An_s3_uri_without_registered_storage_says_how_to_register_it()
    {
        using var resolver = NewResolver();

        await FluentActions.Awaiting(() => resolver.ResolveAsync("s3://models/chronos/bolt")).Should().ThrowAsync<NotSupportedException>()
            .WithMessage("*s3://*RegisterObjectStore*ICheckpointObjectStore*");
    }

    [Fact]
    public async Task An_s3_uri_goes_through_the_registered_store_once()
    {
        using var buckets = new TempFolder();
        var prefix = Path.Combine(buckets.Path, "models", "chronos", "bolt");
        Directory.CreateDirectory(prefix);
        foreach (var file in Directory.EnumerateFiles(Fixtures.SetA("chronos-bolt", "model")))
            File.Copy(file, Path.Combine(prefix, Path.GetFileName(file)));
        var store = new FolderObjectStore(buckets.Path);
        using var resolver = NewResolver().RegisterObjectStore(store);

        var first = await resolver.ResolveAsync("s3://models/chronos/bolt");
        var second = await resolver.ResolveAsync("s3://models/chronos/bolt");

        second.Should().Be(first);
        store.Downloads.Should().Be(1);
        ChronosCheckpointConfig.ReadFolder(first).Family.Should().Be(ChronosModelFamily.ChronosBolt);
        using var checkpoint = SafetensorsCheckpoint.Open(first);
        checkpoint.Names.Should().HaveCount(59);
    }

    [Theory]
    [InlineData("amazon/chronos-bolt-small", true)]
    [InlineData("amazon/chronos-bolt-small@main", true)]
    [InlineData("hf://autogluon/chronos-t5-base@refs/pr/6", true)]
    [InlineData("s3://bucket/prefix", false)]
    [InlineData("not a repo", false)]
    [InlineData("a/b/c", false)]
    public void Hub_references_are_recognised_by_form(string reference, bool isHub)
    {
        using var client = new HuggingFaceHubClient(new HuggingFaceHubOptions { CacheDirectory = cache.Path });

        new HuggingFaceHubCheckpointSource(client).CanResolve(reference).Should().Be(isHub);
    }

    [Fact]
    public void A_repo_id_that_could_escape_the_cache_is_rejected()
    {
        FluentActions.Invoking(() => new HuggingFaceCacheLayout(cache.Path, "../evil"))
            .Should().Throw<ArgumentException>().WithMessage("*owner/name*");
    }
}
