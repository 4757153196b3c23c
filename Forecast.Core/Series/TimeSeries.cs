namespace Forecast.Core.Series;

/// <summary>
/// One series of the long-format data (unique_id, ds, y): timestamps in UTC, ascending, and the target values
/// (NaN where missing). Optional covariates are named columns aligned with <see cref="Timestamps"/>.
/// </summary>
public sealed record TimeSeries(string Id, DateTime[] Timestamps, double[] Values)
{
    /// <summary>Covariate columns by name, each as long as <see cref="Values"/>.</summary>
    public IReadOnlyDictionary<string, double[]> Covariates { get; init; } = new Dictionary<string, double[]>();

    /// <summary>The sampling frequency, once known (inferred by cleaning or given by config).</summary>
    public Frequency? Frequency { get; init; }

    public int Length => Values.Length;

    /// <summary>The first <paramref name="length"/> points: the history before a holdout or backtest cutoff.</summary>
    public TimeSeries Head(int length) => this with
    {
        Timestamps = Timestamps[..length],
        Values = Values[..length],
        Covariates = Covariates.ToDictionary(kv => kv.Key, kv => kv.Value[..length]),
    };

    /// <summary>Points [start, start+length): the actuals of a holdout or backtest window.</summary>
    public TimeSeries Slice(int start, int length) => this with
    {
        Timestamps = Timestamps[start..(start + length)],
        Values = Values[start..(start + length)],
        Covariates = Covariates.ToDictionary(kv => kv.Key, kv => kv.Value[start..(start + length)]),
    };
}
