namespace Forecast.Chronos.FineTuning;

/// <summary>
/// Fine-tuning settings; defaults follow scripts/training/train.py and its configs (AdamW lr 1e-3, weight decay 0,
/// max_grad_norm 1.0, linear schedule, min_past 60, drop_prob 0.2) scaled down to a fine-tune.
/// </summary>
public sealed record FineTuneOptions
{
    public int MaxSteps { get; init; } = 1000;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; }
    public double WarmupRatio { get; init; }
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Context window length; null takes the model's context_length.</summary>
    public int? ContextLength { get; init; }

    /// <summary>Fewest observed past values before a window's split point (train.py: min_past).</summary>
    public int MinPast { get; init; } = 60;

    /// <summary>
    /// Chronos-T5 only (train.py, seq2seq training mode): each window's values are dropped to NaN with a probability
    /// drawn uniformly from [0, DropProbability].
    /// </summary>
    public double DropProbability { get; init; } = 0.2;

    /// <summary>Dropout as in training (train mode). False runs in eval mode (deterministic, as the golden step).</summary>
    public bool UseDropout { get; init; } = true;

    /// <summary>Validate on the held-out last prediction_length values of every series every this many steps (0: never).</summary>
    public int ValidationInterval { get; init; } = 100;

    /// <summary>Stop after this many validations without improvement (0: never stop early).</summary>
    public int EarlyStoppingPatience { get; init; } = 3;

    /// <summary>Folder the best model is saved to (config.json + model.safetensors); null: not saved.</summary>
    public string? CheckpointDirectory { get; init; }

    public int Seed { get; init; } = 42;

    public void Validate()
    {
        if (MaxSteps < 1 || BatchSize < 1 || LearningRate <= 0 || MaxGradNorm <= 0 || MinPast < 1)
            throw new ArgumentException("FineTuneOptions: MaxSteps, BatchSize, LearningRate, MaxGradNorm and MinPast must be positive.");
        if (WarmupRatio is < 0 or > 1 || DropProbability is < 0 or >= 1)
            throw new ArgumentException("FineTuneOptions: WarmupRatio must be in [0, 1] and DropProbability in [0, 1).");
        if (ValidationInterval < 0 || EarlyStoppingPatience < 0)
            throw new ArgumentException("FineTuneOptions: ValidationInterval and EarlyStoppingPatience cannot be negative.");
    }
}
