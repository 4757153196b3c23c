namespace Forecast.Statistical.Decomposition;

/// <summary>
/// Parameters of the STL decomposition (Cleveland et al. 1990). Defaults: seasonal window 7 with local-linear fits
/// (statsmodels' <c>STL</c> defaults), trend and low-pass windows derived from the period, jumps and loop counts as
/// R's <c>stl</c> (non-robust: 2 inner passes, no outer pass; robust: 1 inner pass, 15 outer passes).
/// </summary>
public sealed record StlOptions
{
    /// <summary>Loess window (odd, ≥ 3) of each cycle-subseries smoother, in cycles.</summary>
    public int SeasonalWindow { get; init; } = 7;

    /// <summary>Loess window of the trend smoother; null takes nextodd(ceil(1.5 × period / (1 − 1.5 / seasonal window))).</summary>
    public int? TrendWindow { get; init; }

    /// <summary>Loess window of the low-pass filter's smoother; null takes nextodd(period).</summary>
    public int? LowPassWindow { get; init; }

    public int SeasonalDegree { get; init; } = 1;
    public int TrendDegree { get; init; } = 1;
    public int LowPassDegree { get; init; } = 1;

    /// <summary>Fit the seasonal smoother at every this-many points and interpolate between; null takes ceil(window / 10) as R's <c>stl</c> (statsmodels uses 1).</summary>
    public int? SeasonalJump { get; init; }

    public int? TrendJump { get; init; }
    public int? LowPassJump { get; init; }

    /// <summary>Robust fitting: outer passes reweight points by a bisquare of the remainder, so outliers do not bend trend and season.</summary>
    public bool Robust { get; init; }

    /// <summary>Passes of the inner loop; null takes R's 1 when robust, else 2 (statsmodels uses 2 and 5).</summary>
    public int? InnerIterations { get; init; }

    /// <summary>Robustness passes of the outer loop; null takes 15 when robust, else 0.</summary>
    public int? OuterIterations { get; init; }
}
