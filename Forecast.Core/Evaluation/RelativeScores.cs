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
        var means = new GeometricMeanAccumulator();
        foreach (var set in ratioSets) means.Add(set);
        return means.Result();
    }
}

/// <summary>
/// <see cref="RelativeScores.GeometricMeans"/> built up one ratio set at a time, so a merge can stream series through
/// it: per metric (in the order metrics first appear) the sum of log ratios over the finite positive ones, added in
/// order, then exp of their mean.
/// </summary>
public sealed class GeometricMeanAccumulator
{
    private readonly Dictionary<string, (double LogSum, int Count)> _byMetric = new(StringComparer.Ordinal);

    public void Add(IReadOnlyDictionary<string, double> ratios)
    {
        foreach (var (metric, r) in ratios)
        {
            var (logSum, count) = _byMetric.GetValueOrDefault(metric);
            if (r > 0 && double.IsFinite(r)) (logSum, count) = (logSum + Math.Log(r), count + 1);
            _byMetric[metric] = (logSum, count);
        }
    }

    public Dictionary<string, double> Result() =>
        _byMetric.ToDictionary(m => m.Key, m => m.Value.Count == 0 ? double.NaN : Math.Exp(m.Value.LogSum / m.Value.Count));
}
