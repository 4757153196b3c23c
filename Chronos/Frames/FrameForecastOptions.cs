namespace Forecast.Chronos.Frames;

/// <summary>Options of <see cref="IChronosPipeline.PredictFrame"/> (predict_df's keyword arguments).</summary>
public sealed record FrameForecastOptions
{
    /// <summary>Series (Bolt, T5) or rows — targets and covariates — (Chronos-2) per batch; null: the family's default.</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// Chronos-2: future values of covariates known in advance — unique_id, ds and covariate columns, exactly the
    /// forecast's timestamps for every series. Its columns are known-future covariates; the history's other covariate
    /// columns are past-only (predict_df's future_df).
    /// </summary>
    public SeriesFrame? Future { get; init; }

    /// <summary>
    /// Chronos-2: a categorical column, constant within each series, whose equal values put series into one task: their
    /// targets are forecast jointly (group attention across them) and each keeps its own covariates. Null: every series
    /// is its own task (predict_df).
    /// </summary>
    public string? GroupColumn { get; init; }

    /// <summary>Chronos-2: every task of a batch in one group (cross_learning).</summary>
    public bool CrossLearning { get; init; }

    /// <summary>
    /// Chronos-2 categorical covariates: a future value the series' history never had is an error naming it (false,
    /// the default), or encoded as the reference does (true: the series' mean target under target encoding, missing
    /// under ordinal encoding).
    /// </summary>
    public bool AllowUnseenCategories { get; init; }

    /// <summary>The spacing of the timestamps; null infers it per series (which then needs two or more rows).</summary>
    public TimeStep? Frequency { get; init; }

    /// <summary>Series (Bolt, T5) or tasks (Chronos-2) done, after each batch; cancellation is checked between batches.</summary>
    public IProgress<int>? Progress { get; init; }
}
