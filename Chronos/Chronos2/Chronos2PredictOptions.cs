namespace Forecast.Chronos.Chronos2;

/// <summary>Options of <see cref="Chronos2Pipeline.Predict"/> (chronos2/pipeline.py: predict keyword arguments).</summary>
public sealed record Chronos2PredictOptions
{
    /// <summary>Rows (targets and covariates) per model batch; tasks are never split (reference default 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>History used per series; null = the model's context_length (larger values are reset to it).</summary>
    public int? ContextLength { get; init; }

    /// <summary>
    /// Forecast all tasks of a batch jointly (every row in group 0), sharing information across series. Results
    /// then depend on the batch composition (reference: cross_learning).
    /// </summary>
    public bool CrossLearning { get; init; }

    /// <summary>Throw instead of warning when the horizon exceeds the model's prediction length.</summary>
    public bool LimitPredictionLength { get; init; }

    /// <summary>Output patches per forward pass before long-horizon unrolling; null = the model's max_output_patches.</summary>
    public int? MaxOutputPatches { get; init; }

    /// <summary>
    /// A future value of a categorical covariate that no history of the call had is an <see cref="UnseenCategoryException"/>
    /// (false, the default) or encoded as the reference does (true: the series' mean target under target encoding,
    /// missing under ordinal encoding).
    /// </summary>
    public bool AllowUnseenCategories { get; init; }

    /// <summary>Quantile paths appended to the context for long horizons; must be model quantiles.</summary>
    public IReadOnlyList<float> UnrolledQuantiles { get; init; } = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];
}
