using Forecast.Core.Models;

namespace Forecast.Trainer.Configuration;

/// <summary>The model the config names (config section <c>model:</c>) and how to build it once the run starts.</summary>
public sealed record ModelSelection(string Name, Func<ModelContext, IForecaster> Create);

/// <summary>What a model factory may need at build time besides its options.</summary>
public sealed record ModelContext(int Seed)
{
    /// <summary>The platform's storage (s3:// checkpoints); null when the pipeline runs without one.</summary>
    public Core.Storage.StorageLocations? Locations { get; init; }

    /// <summary>The FineTuning feature flag when defined (it overrides a model's fine_tune.enabled), else null.</summary>
    public bool? FineTuning { get; init; }
}
