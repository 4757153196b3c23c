namespace Forecast.Chronos.Chronos2;

/// <summary>
/// One forecasting task for <see cref="Chronos2Pipeline"/>, the dict input of the reference
/// (chronos2/pipeline.py: predict; preprocess.py: from_list_of_dicts): one or more target variates sharing a
/// history, optional past covariates (same length as the history) and future values (prediction_length long) of
/// those covariates that are known ahead. All variates and covariates of a task form one group, so the model
/// learns across them; only the targets are forecast. Missing values are NaN.
/// </summary>
public sealed record Chronos2Input
{
    public Chronos2Input(IReadOnlyList<float[]> target,
        IReadOnlyDictionary<string, float[]>? pastCovariates = null,
        IReadOnlyDictionary<string, float[]>? futureCovariates = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        PastCovariates = pastCovariates ?? new Dictionary<string, float[]>();
        FutureCovariates = futureCovariates ?? new Dictionary<string, float[]>();
    }

    /// <summary>Target variates (n_targets × history length); forecasts are returned for these.</summary>
    public IReadOnlyList<float[]> Target { get; }

    /// <summary>Covariates observed over the history (past-only, or the past part of known-future ones).</summary>
    public IReadOnlyDictionary<string, float[]> PastCovariates { get; }

    /// <summary>Future values of covariates known ahead; every key must also be a past covariate.</summary>
    public IReadOnlyDictionary<string, float[]> FutureCovariates { get; }

    public int HistoryLength => Target.Count == 0 ? 0 : Target[0].Length;

    /// <summary>A univariate series (a 1-D input of the reference).</summary>
    public static Chronos2Input Univariate(float[] series) => new([series]);

    /// <summary>Variates of one multivariate series forecast jointly (a 2-D input of the reference).</summary>
    public static Chronos2Input Multivariate(params float[][] variates) => new(variates);
}
