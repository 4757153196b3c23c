using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Eda;
using Forecast.Core.Evaluation;

namespace Forecast.Trainer.Configuration;

/// <summary>
/// The validated configuration of one Trainer run (every key with its default in docs/configuration.md).
/// <see cref="Resolved"/> is the effective configuration (defaults, overrides and feature flags applied) written to the
/// run as config.yaml; <see cref="Flags"/> says which flag changed what (flags.yaml).
/// </summary>
public sealed record TrainerConfig(
    string Source,
    RunOptions Run,
    DataOptions Data,
    CleaningOptions Cleaning,
    EdaOptions Eda,
    ModelSelection Model,
    EvaluationOptions Evaluation,
    PlotOptions Plots,
    IReadOnlyDictionary<string, object?> Resolved)
{
    /// <summary>Every feature flag, whether it was defined and what it changed (empty before the flags are applied).</summary>
    public IReadOnlyList<Features.AppliedFlag> Flags { get; init; } = [];
}
