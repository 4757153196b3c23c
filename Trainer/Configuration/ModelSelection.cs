using Forecast.Core.Models;

namespace Forecast.Trainer.Configuration;

/// <summary>
/// The model the config names (config section <c>model:</c>), how to build it once the run starts, and its identity
/// (name, and the <c>variant</c> and <c>checkpoint</c> keys of its <c>model.&lt;name&gt;</c> section when it has them),
/// which names the model in metrics.yaml, run summaries and the leaderboard.
/// </summary>
public sealed record ModelSelection(string Name, Func<ModelContext, IForecaster> Create)
{
    public ModelIdentity Identity { get; init; } = new(Name);
}

/// <summary>What a model factory may need at build time besides its options.</summary>
public sealed record ModelContext(int Seed)
{
    /// <summary>The platform's storage (s3:// checkpoints); null when the pipeline runs without one.</summary>
    public Core.Storage.StorageLocations? Locations { get; init; }

    /// <summary>The FineTuning feature flag when defined (it overrides a model's fine_tune.enabled), else null.</summary>
    public bool? FineTuning { get; init; }
}
