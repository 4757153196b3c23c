using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Forecast.Core.Artifacts;

/// <summary>/health of the Evaluator and the Dashboard: whether the artifact store answers a listing of the run folders under runs/ (a local folder or an S3 bucket).</summary>
public sealed class ArtifactStoreHealthCheck(IArtifactStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in store.ListFoldersAsync("runs/", cancellationToken)) break;
            return HealthCheckResult.Healthy($"{store.Describe("runs")} answers.");
        }
        catch (Exception e) when (e is ArtifactStoreException or IOException or UnauthorizedAccessException or Forecast.Core.Storage.S3StorageException)
        {
            return HealthCheckResult.Unhealthy($"{store.Describe("runs")} does not answer: {e.Message}");
        }
    }
}
