namespace Forecast.Trainer.Models;

/// <summary>Which Chronos family <c>model.chronos.variant</c> names.</summary>
public enum ChronosVariant
{
    /// <summary>Chronos-Bolt (amazon/chronos-bolt-*): direct quantile forecasts from patches.</summary>
    Bolt,

    /// <summary>Chronos-T5 (amazon/chronos-t5-*): tokenised values, sampled autoregressively.</summary>
    T5,

    /// <summary>Chronos-2 (amazon/chronos-2): groups of related series and covariates.</summary>
    Chronos2,
}

/// <summary>Storage type of the weights (<c>model.chronos.dtype</c>).</summary>
public enum ChronosDType
{
    Float32,
    Bfloat16,
}

/// <summary>How Chronos-2 groups series into one task (<c>model.chronos.groups.by</c>).</summary>
public enum ChronosGrouping
{
    /// <summary>Every series is its own task (univariate).</summary>
    None,

    /// <summary>Series whose unique_id shares the text before the last <c>groups.separator</c> form one task.</summary>
    IdPrefix,
}

/// <summary><c>model.chronos.fine_tune</c>: train.py's settings, scaled to a fine-tune (Forecast.Chronos.FineTuning.FineTuneOptions).</summary>
public sealed record ChronosFineTuneSettings(
    bool Enabled,
    int Steps,
    double LearningRate,
    double WarmupRatio,
    int BatchSize,
    int? ContextLength,
    int MinPast,
    int ValidationInterval,
    int EarlyStoppingPatience,
    bool Save)
{
    /// <summary><c>fine_tune.mode</c>: all weights (full) or a LoRA adapter on them (lora, Chronos-2 only).</summary>
    public ChronosFineTuneMode Mode { get; init; } = ChronosFineTuneMode.Full;

    /// <summary><c>fine_tune.lora</c>: rank, alpha and target modules (Chronos2Pipeline.fit's defaults).</summary>
    public Forecast.Chronos.Lora.LoraConfig Lora { get; init; } = new();
}

/// <summary>How <c>model.chronos.fine_tune</c> trains (Chronos2Pipeline.fit's finetune_mode).</summary>
public enum ChronosFineTuneMode
{
    /// <summary>Every weight of the model.</summary>
    Full,

    /// <summary>A low-rank adapter on the attention projections and output layer; the model's weights frozen.</summary>
    Lora,
}

/// <summary>Everything <c>model.chronos</c> configures.</summary>
public sealed record ChronosSettings(
    ChronosVariant Variant,
    string Checkpoint,
    int BatchSize,
    int? NumSamples,
    int? Threads,
    ChronosDType DType,
    ChronosFineTuneSettings FineTune,
    IReadOnlyList<string> PastCovariates,
    ChronosGrouping Grouping,
    string GroupSeparator,
    int Seed)
{
    /// <summary>Covariates known ahead (<c>model.chronos.future_covariates</c>): past over the history, future over the horizon.</summary>
    public IReadOnlyList<string> FutureCovariates { get; init; } = [];
}
