using System.Runtime.CompilerServices;
using Forecast.Core.Artifacts;

namespace Forecast.Trainer.Telemetry;

/// <summary>An <see cref="IArtifactStore"/> whose puts are "upload" spans (key, bytes, destination); reads pass through.</summary>
public sealed class InstrumentedArtifactStore(IArtifactStore inner) : IArtifactStore
{
    public string Describe(string key) => inner.Describe(key);

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        using var activity = TrainerTelemetry.Source.StartActivity("upload");
        activity?.SetTag("forecast.artifact.key", key);
        activity?.SetTag("forecast.artifact.bytes", content.Length);
        activity?.SetTag("forecast.artifact.location", inner.Describe(key));
        try
        {
            await inner.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TrainerTelemetry.RecordFailure(activity, "upload", e);
            throw;
        }
    }

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        using var activity = TrainerTelemetry.Source.StartActivity("upload");
        activity?.SetTag("forecast.artifact.key", key);
        activity?.SetTag("forecast.artifact.bytes", new FileInfo(path).Length);
        activity?.SetTag("forecast.artifact.location", inner.Describe(key));
        try
        {
            await inner.PutFileAsync(key, path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TrainerTelemetry.RecordFailure(activity, "upload", e);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);

    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false)) yield return item;
    }

    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (string folder in inner.ListFoldersAsync(prefix, cancellationToken).ConfigureAwait(false)) yield return folder;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
}
