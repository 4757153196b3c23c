namespace Forecast.Core.Evaluation;

/// <summary>
/// Scores relative to seasonal naive, as the Chronos paper (Ansari et al. 2024, §5.2) aggregates across datasets:
/// per dataset the ratio model / seasonal naive of a metric, then the geometric mean of those ratios.
/// </summary>
public static class RelativeScores
{
    /// <summary>model / baseline for every metric both have with a finite, positive baseline value.</summary>
    public static Dictionary<string, double> Ratios(IReadOnlyDictionary<string, double> model, IReadOnlyDictionary<string, double> baseline)
    {
        var result = new Dictionary<string, double>();
        foreach (var (metric, value) in model)
        {
            if (baseline.TryGetValue(metric, out double reference) && reference > 0 && double.IsFinite(reference) && double.IsFinite(value))
                result[metric] = value / reference;
        }
        return result;
    }

    /// <summary>exp(mean(log r)) over the finite positive ratios; NaN when there are none.</summary>
    public static double GeometricMean(IEnumerable<double> ratios)
    {
        double sum = 0;
        int count = 0;
        foreach (double r in ratios)
        {
            if (!(r > 0) || !double.IsFinite(r)) continue;
            sum += Math.Log(r);
            count++;
        }
        return count == 0 ? double.NaN : Math.Exp(sum / count);
    }

    /// <summary>Per metric, the geometric mean over the given ratio sets (one set per dataset or per series).</summary>
    public static Dictionary<string, double> GeometricMeans(IEnumerable<IReadOnlyDictionary<string, double>> ratioSets)
    {
        var sets = ratioSets.ToList();
        var metrics = sets.SelectMany(s => s.Keys).Distinct().ToList();
        return metrics.ToDictionary(m => m, m => GeometricMean(sets.Where(s => s.ContainsKey(m)).Select(s => s[m])));
    }
}
