using Forecast.Core.Artifacts;
using Forecast.Core.Models;

namespace Forecast.Dashboard.Services;

/// <summary>
/// The Trainer's model registry as the start form offers it: trainer/models.json under the run output root, which
/// every committed Trainer run (and <c>Forecast.Trainer models --output</c>) writes. The Dashboard keeps no list of
/// models of its own; without a catalog it offers only "the config's own model".
/// </summary>
public sealed class TrainerCatalog(IArtifactStore store, ILogger<TrainerCatalog> logger)
{
    /// <summary>Where the catalog is looked for, for messages.</summary>
    public string Location => store.Describe(RegisteredModels.Key);

    /// <summary>
    /// The catalog, or null when no Trainer has published one yet (or it cannot be read: logged). Every committed run
    /// rewrites it, and a store that is not atomic (s3rver) can hand out a half-written copy: a failed read is retried.
    /// </summary>
    public async Task<RegisteredModels?> GetAsync(CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var bytes = await store.GetAsync(RegisteredModels.Key, cancellationToken);
                return bytes is null ? null : RegisteredModels.Parse(bytes, Location);
            }
            catch (Exception e) when (e is InvalidDataException or ArtifactStoreException or Core.Storage.S3StorageException)
            {
                if (attempt < 3) { await Task.Delay(TimeSpan.FromMilliseconds(150 * attempt), cancellationToken); continue; }
                logger.LogWarning("The Trainer's model catalog cannot be read: {Message}", e.Message);
                return null;
            }
        }
    }
}
