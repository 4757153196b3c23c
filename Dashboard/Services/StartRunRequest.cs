namespace Forecast.Dashboard.Services;

/// <summary>
/// What the start form asks for: a config of the config folder; the model, variant and checkpoint (empty: as the
/// config says; a model or variant other than the config's is refused, a checkpoint may be any the Trainer's catalog
/// lists for that variant); optional evaluation overrides; and optionally a challenger model that the Trainer's Model
/// feature flag gives <see cref="ChallengerShare"/> percent of the series.
/// </summary>
public sealed record StartRunRequest(string Config, string? Model, int? Horizon, string? EvaluationMode, int? Windows,
    string? Challenger = null, int? ChallengerShare = null, string? Variant = null, string? Checkpoint = null);
