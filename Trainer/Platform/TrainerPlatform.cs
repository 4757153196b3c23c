using Forecast.Core.Storage;
using Forecast.Trainer.Features;
using Microsoft.Extensions.Logging;

namespace Forecast.Trainer.Platform;

/// <summary>
/// What the Trainer gets from its host besides the YAML config: where s3:// locations lead (Storage:S3 options,
/// credentials from the standard AWS chain), the feature flags, and a logger that reaches OpenTelemetry.
/// </summary>
public sealed class TrainerPlatform(StorageLocations locations, TrainerFeatures features, ILogger? logger = null)
{
    /// <summary>Local use without a host: S3 with default options (AWS, standard credentials), no flags, no logger.</summary>
    public static TrainerPlatform Local { get; } = new(new StorageLocations(new S3StorageOptions()), TrainerFeatures.None);

    public StorageLocations Locations { get; } = locations;

    public TrainerFeatures Features { get; } = features;

    public ILogger? Logger { get; } = logger;
}
