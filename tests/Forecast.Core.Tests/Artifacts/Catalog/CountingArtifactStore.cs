using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Forecast.Core.Artifacts;

namespace Forecast.Core.Tests.Artifacts.Catalog;

/// <summary>A real store that records every call that reaches it ("get runs/x/metrics.yaml", "list index/runs/" …).</summary>
internal sealed class CountingArtifactStore(IArtifactStore inner) : IArtifactStore
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public void Reset() => Calls.Clear();

    public string Describe(string key) => inner.Describe(key);

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"put {key}");
        return inner.PutAsync(key, content, cancellationToken);
    }

    public Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"put {key}");
        return inner.PutFileAsync(key, path, cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"get {key}");
        return inner.OpenReadAsync(key, cancellationToken);
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"get {key}");
        return inner.GetAsync(key, cancellationToken);
    }

    public Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"head {key}");
        return inner.GetInfoAsync(key, cancellationToken);
    }

    /// <summary>When set, listings wait for it: a slow store, held as long as a test needs.</summary>
    public Task? ListGate { get; set; }

    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"list {prefix}");
        if (ListGate is { } gate) await gate.WaitAsync(cancellationToken);
        await foreach (var item in inner.ListAsync(prefix, cancellationToken)) yield return item;
    }

    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"folders {prefix}");
        await foreach (string folder in inner.ListFoldersAsync(prefix, cancellationToken)) yield return folder;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"delete {key}");
        return inner.DeleteAsync(key, cancellationToken);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
