namespace Forecast.Chronos.Chronos2;

/// <summary>
/// One forecasting task for <see cref="Chronos2Pipeline"/>, the dict input of the reference
/// (chronos2/pipeline.py: predict; preprocess.py: from_list_of_dicts): one or more target variates sharing a
/// history, optional past covariates (same length as the history) and future values (prediction_length long) of
/// those covariates that are known ahead. Covariates are numeric (NaN where missing) or categorical (strings, null where
/// missing; encoded as the reference does, see <see cref="CategoricalCovariates"/>). All variates and covariates of a
/// task form one group, so the model learns across them; only the targets are forecast.
/// </summary>
public sealed record Chronos2Input
{
    public Chronos2Input(IReadOnlyList<float[]> target,
        IReadOnlyDictionary<string, float[]>? pastCovariates = null,
        IReadOnlyDictionary<string, float[]>? futureCovariates = null,
        IReadOnlyDictionary<string, string?[]>? pastCategoricals = null,
        IReadOnlyDictionary<string, string?[]>? futureCategoricals = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        PastCovariates = pastCovariates ?? new Dictionary<string, float[]>();
        FutureCovariates = futureCovariates ?? new Dictionary<string, float[]>();
        PastCategoricals = pastCategoricals ?? new Dictionary<string, string?[]>();
        FutureCategoricals = futureCategoricals ?? new Dictionary<string, string?[]>();
    }

    /// <summary>Target variates (n_targets × history length); forecasts are returned for these.</summary>
    public IReadOnlyList<float[]> Target { get; }

    /// <summary>Numeric covariates observed over the history (past-only, or the past part of known-future ones).</summary>
    public IReadOnlyDictionary<string, float[]> PastCovariates { get; }

    /// <summary>Future values of numeric covariates known ahead; every key must also be a past covariate.</summary>
    public IReadOnlyDictionary<string, float[]> FutureCovariates { get; }

    /// <summary>Categorical covariates observed over the history (null = missing).</summary>
    public IReadOnlyDictionary<string, string?[]> PastCategoricals { get; }

    /// <summary>Future values of categorical covariates known ahead; every key must also be a past categorical.</summary>
    public IReadOnlyDictionary<string, string?[]> FutureCategoricals { get; }

    public int HistoryLength => Target.Count == 0 ? 0 : Target[0].Length;

    /// <summary>Rows the task takes in a batch: its targets and covariates.</summary>
    public int RowCount => Target.Count + PastCovariates.Count + PastCategoricals.Count;

    /// <summary>A univariate series (a 1-D input of the reference).</summary>
    public static Chronos2Input Univariate(float[] series) => new([series]);

    /// <summary>Variates of one multivariate series forecast jointly (a 2-D input of the reference).</summary>
    public static Chronos2Input Multivariate(params float[][] variates) => new(variates);
}
