namespace Forecast.Core.Statistics;

/// <summary>Sample quantiles of a set of values, R's default (type 7: linear interpolation between order statistics).</summary>
public static class SampleQuantile
{
    /// <summary>The p-quantile of <paramref name="sorted"/> (ascending, no NaN): x[floor(h)] + (h - floor(h)) (x[floor(h)+1] - x[floor(h)]), h = (n-1) p.</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }
}
