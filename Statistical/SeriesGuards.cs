using Forecast.Statistical.Numerics;

namespace Forecast.Statistical;

/// <summary>Input checks shared by the models, with R's rules: what counts as constant, which stretch of a gappy series is used.</summary>
internal static class SeriesGuards
{
    /// <summary>
    /// R's <c>na.contiguous()</c>: the longest run without missing values (NaN or infinite), keeping R's tie rule (the
    /// first longest, where a run's length counts the missing value that opens it). Throws when nothing is left.
    /// </summary>
    public static double[] LongestFiniteStretch(ReadOnlySpan<double> y, string model)
    {
        if (y.IsEmpty) throw new UnsuitableSeriesException($"The series is empty; {model} needs observations.");
        int n = y.Length;
        var good = new bool[n];
        int goodCount = 0;
        for (int i = 0; i < n; i++)
        {
            good[i] = double.IsFinite(y[i]);
            if (good[i]) goodCount++;
        }
        if (goodCount == 0) throw new UnsuitableSeriesException($"Every value of the series is missing; {model} needs observations.");
        if (goodCount == n) return y.ToArray();

        // tt = cumsum(!good): segment i holds the i-th missing value and the values after it.
        var segmentOf = new int[n];
        int segments = 0;
        for (int i = 0; i < n; i++)
        {
            if (!good[i]) segments++;
            segmentOf[i] = segments;
        }
        var lengths = new int[segments + 1];
        for (int i = 0; i < n; i++) lengths[segmentOf[i]]++;
        int best = 0;
        for (int s = 1; s <= segments; s++) if (lengths[s] > lengths[best]) best = s;
        int start = Array.IndexOf(segmentOf, best);
        if (!good[start]) start++;
        int end = Array.LastIndexOf(segmentOf, best);
        return y[start..(end + 1)].ToArray();
    }

    /// <summary>R forecast's <c>is.constant()</c>: all values equal to the first within <c>all.equal</c>'s tolerance 1.5e-8.</summary>
    public static bool IsConstant(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty) return true;
        double first = x[0];
        bool firstMissing = double.IsNaN(first);
        var diffs = new List<double>(x.Length);
        var targets = new List<double>(x.Length);
        foreach (double v in x)
        {
            if (double.IsNaN(v) != firstMissing) return false;
            if (double.IsNaN(v)) continue;
            diffs.Add(Math.Abs(v - first));
            targets.Add(Math.Abs(v));
        }
        if (diffs.Count == 0) return true;
        double xy = AccurateSum.Mean(diffs.ToArray());
        double scale = AccurateSum.Mean(targets.ToArray());
        if (double.IsFinite(scale) && scale > 1.5e-8) xy /= scale;
        return xy <= 1.5e-8;
    }
}
