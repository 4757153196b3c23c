using Forecast.Statistical.Decomposition;

namespace Forecast.Statistical.Mstl;

/// <summary>
/// Multiple seasonal-trend decomposition by loess (Bandara, Hyndman and Bergmeir 2021, arXiv:2107.13462), as R
/// forecast 8.20's <c>mstl()</c>: STL (<see cref="Stl"/>) is applied for one period at a time, shortest first, to the
/// series less the other seasonal components, and the whole round is repeated <see cref="MstlOptions.Iterations"/>
/// times; the trend is that of the last STL fit. Periods without two full cycles in the series (period ≥ n / 2) are
/// dropped, as R drops them.
/// </summary>
public static class Mstl
{
    /// <summary>The periods of <paramref name="seasonLengths"/> that <paramref name="length"/> observations decompose:
    /// above 1, below length / 2, distinct, ascending (R's <c>msts[msts &lt; n / 2]</c>, sorted).</summary>
    public static IReadOnlyList<int> UsableSeasonLengths(int length, IEnumerable<int> seasonLengths) =>
        [.. seasonLengths.Where(m => m > 1 && 2 * m < length).Distinct().Order()];

    /// <exception cref="ArgumentException">No period of <paramref name="seasonLengths"/> has two full cycles in the
    /// series, or a value is missing (fill missing values first, as R's <c>na.interp</c>).</exception>
    public static MstlDecomposition Decompose(ReadOnlySpan<double> y, IEnumerable<int> seasonLengths, MstlOptions? options = null)
    {
        options ??= new MstlOptions();
        ArgumentNullException.ThrowIfNull(seasonLengths);
        var periods = UsableSeasonLengths(y.Length, seasonLengths);
        if (periods.Count == 0)
            throw new ArgumentException($"MSTL needs a season length above 1 with two full periods in the series ({y.Length} points).", nameof(seasonLengths));
        if (options.Iterations < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Iterations, "MSTL needs at least one iteration.");
        if (options.SeasonalWindows.Count != 1 && options.SeasonalWindows.Count < periods.Count)
            throw new ArgumentException($"Give one seasonal window, or one per period ({periods.Count}).", nameof(options));

        int n = y.Length;
        var seasonal = new double[periods.Count][];
        for (int i = 0; i < periods.Count; i++) seasonal[i] = new double[n];
        var deseasonalised = y.ToArray();
        StlDecomposition? last = null;
        for (int pass = 0; pass < options.Iterations; pass++)
        {
            for (int i = 0; i < periods.Count; i++)
            {
                // Put component i back, re-estimate it from the series less the others, take it out again.
                for (int t = 0; t < n; t++) deseasonalised[t] += seasonal[i][t];
                int window = options.SeasonalWindows.Count == 1 ? options.SeasonalWindows[0] : options.SeasonalWindows[i];
                last = Stl.Decompose(deseasonalised, periods[i], new StlOptions
                {
                    // R stl()'s defaults (s.degree = 0), not statsmodels' that StlOptions defaults to.
                    SeasonalWindow = window,
                    SeasonalDegree = 0,
                    Robust = options.Robust,
                });
                seasonal[i] = last.Seasonal;
                for (int t = 0; t < n; t++) deseasonalised[t] -= seasonal[i][t];
            }
        }

        var trend = last!.Trend;
        var remainder = new double[n];
        for (int t = 0; t < n; t++) remainder[t] = deseasonalised[t] - trend[t];
        return new MstlDecomposition(periods, trend, seasonal, remainder);
    }
}
