namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Resolves any checkpoint reference to a local folder by asking its sources in order: a local folder first, then
/// registered object stores (s3:// — the platform registers its S3 storage with <see cref="RegisterObjectStore"/>),
/// then the Hugging Face Hub (environment-configured, see <see cref="HuggingFaceHubOptions"/>).
/// </summary>
public sealed class CheckpointResolver : IDisposable
{
    private readonly List<ICheckpointSource> sources = [];
    private readonly HuggingFaceHubClient? hubClient;
    private readonly string cacheDirectory;

    /// <param name="hubOptions">Hub settings; <see cref="HuggingFaceHubOptions.FromEnvironment()"/> when null.</param>
    public CheckpointResolver(HuggingFaceHubOptions? hubOptions = null)
    {
        var options = hubOptions ?? HuggingFaceHubOptions.FromEnvironment();
        cacheDirectory = options.CacheDirectory;
        hubClient = new HuggingFaceHubClient(options);
        sources.Add(new LocalFolderCheckpointSource());
        sources.Add(new HuggingFaceHubCheckpointSource(hubClient));
    }

    /// <summary>Adds an object store (e.g. the platform's S3 storage), tried before the hub; its copies go under the cache folder.</summary>
    public CheckpointResolver RegisterObjectStore(ICheckpointObjectStore store)
    {
        sources.Insert(1, new ObjectStoreCheckpointSource(store, Path.Combine(cacheDirectory, "object-stores")));
        return this;
    }

    /// <summary>Adds any other source, tried before the built-in ones except the local folder.</summary>
    public CheckpointResolver Register(ICheckpointSource source)
    {
        sources.Insert(1, source);
        return this;
    }

    public Task<string> ResolveAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var source = sources.FirstOrDefault(s => s.CanResolve(reference));
        if (source is not null)
            return source.ResolveAsync(reference, cancellationToken);
        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && uri.Scheme is not ("http" or "https" or "file"))
            throw new NotSupportedException(
                $"'{reference}': no storage is registered for {uri.Scheme}:// checkpoints; register one with "
                + "CheckpointResolver.RegisterObjectStore (the platform's S3 storage implements ICheckpointObjectStore).");
        throw new DirectoryNotFoundException(
            $"'{reference}' is neither an existing checkpoint folder nor a hub id such as amazon/chronos-bolt-small[@revision].");
    }

    public void Dispose() => hubClient?.Dispose();
}
