namespace Forecast.Statistical.Mstl;

/// <summary>
/// Parameters of <see cref="Mstl.Decompose"/>, R forecast 8.20's <c>mstl()</c> defaults: two passes over the
/// seasonal components, seasonal windows 11, 15, 19, … (7 + 4i for the i-th shortest period), and R <c>stl()</c>'s
/// own defaults for everything else (local-constant seasonal smoothing, trend and low-pass windows from the period).
/// </summary>
public sealed record MstlOptions
{
    /// <summary>R's <c>s.window = 7 + 4 * seq(6)</c>: the seasonal window of the i-th shortest period.</summary>
    public static readonly IReadOnlyList<int> DefaultSeasonalWindows = [11, 15, 19, 23, 27, 31];

    /// <summary>Passes over all seasonal components (R's <c>iterate</c>); each pass re-estimates each component from
    /// the series less the others.</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>Seasonal window of each period, shortest period first (R's <c>s.window</c>); one value applies to all.</summary>
    public IReadOnlyList<int> SeasonalWindows { get; init; } = DefaultSeasonalWindows;

    /// <summary>Robust STL fits (outer passes reweighting by the remainder; R's <c>robust</c>).</summary>
    public bool Robust { get; init; }
}
