namespace Forecast.Statistical.Mstl;

/// <summary>
/// y = Trend + Σ Seasonal[i] + Remainder (R forecast's <c>mstl()</c> columns), each as long as the series;
/// <see cref="SeasonLengths"/>[i] is the period of <see cref="Seasonal"/>[i], ascending.
/// </summary>
public sealed record MstlDecomposition(IReadOnlyList<int> SeasonLengths, double[] Trend, double[][] Seasonal, double[] Remainder)
{
    /// <summary>The seasonally adjusted series, trend + remainder (R forecast's <c>seasadj()</c> of an mstl object).</summary>
    public double[] Adjusted()
    {
        var adjusted = new double[Trend.Length];
        for (int t = 0; t < adjusted.Length; t++) adjusted[t] = Trend[t] + Remainder[t];
        return adjusted;
    }
}
