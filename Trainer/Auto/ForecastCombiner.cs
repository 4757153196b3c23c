using Forecast.Core.Models;

namespace Forecast.Trainer.Auto;

/// <summary>
/// Combines forecasts of one series by several models. Quantiles are combined level by level (quantile averaging,
/// "Vincentization", as AutoGluon's weighted ensembles combine every quantile column), the point forecast as the same
/// combination of the members' means. A weighted mean and a median of forecasts whose quantiles are non-decreasing in
/// the level stay non-decreasing; the levels of each step are sorted anyway (rearrangement), so the combined quantiles
/// are consistent whatever the members give.
/// </summary>
internal static class ForecastCombiner
{
    /// <summary>Σ w_i F_i / Σ w_i over the members (weights &gt; 0).</summary>
    public static SeriesForecast Weighted(IReadOnlyList<(SeriesForecast Forecast, double Weight)> members)
    {
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        if (members.Count == 1) return members[0].Forecast;
        var first = members[0].Forecast;
        int horizon = first.Mean.Length, levels = first.Quantiles.Length;
        double total = members.Sum(m => m.Weight);
        var mean = new double[horizon];
        var quantiles = new double[levels][];
        for (int q = 0; q < levels; q++) quantiles[q] = new double[horizon];
        foreach (var (forecast, weight) in members)
        {
            double w = weight / total;
            for (int h = 0; h < horizon; h++) mean[h] += w * forecast.Mean[h];
            for (int q = 0; q < levels; q++)
            {
                var row = forecast.Quantiles[q];
                var combined = quantiles[q];
                for (int h = 0; h < horizon; h++) combined[h] += w * row[h];
            }
        }
        SortLevels(quantiles, horizon);
        return first with { Mean = mean, Quantiles = quantiles };
    }

    /// <summary>The median of the members, step by step and level by level (the mean of the middle two for an even count).</summary>
    public static SeriesForecast Median(IReadOnlyList<SeriesForecast> members)
    {
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        if (members.Count == 1) return members[0];
        var first = members[0];
        int horizon = first.Mean.Length, levels = first.Quantiles.Length;
        var column = new double[members.Count];
        var mean = new double[horizon];
        var quantiles = new double[levels][];
        for (int h = 0; h < horizon; h++)
        {
            for (int i = 0; i < members.Count; i++) column[i] = members[i].Mean[h];
            mean[h] = MedianOf(column);
        }
        for (int q = 0; q < levels; q++)
        {
            quantiles[q] = new double[horizon];
            for (int h = 0; h < horizon; h++)
            {
                for (int i = 0; i < members.Count; i++) column[i] = members[i].Quantiles[q][h];
                quantiles[q][h] = MedianOf(column);
            }
        }
        SortLevels(quantiles, horizon);
        return first with { Mean = mean, Quantiles = quantiles };
    }

    private static double MedianOf(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    /// <summary>Sorts the levels of every step ascending (a no-op for already consistent quantiles).</summary>
    private static void SortLevels(double[][] quantiles, int horizon)
    {
        if (quantiles.Length < 2) return;
        Span<double> step = quantiles.Length <= 64 ? stackalloc double[quantiles.Length] : new double[quantiles.Length];
        for (int h = 0; h < horizon; h++)
        {
            bool sorted = true;
            for (int q = 1; q < quantiles.Length && sorted; q++) sorted = quantiles[q - 1][h] <= quantiles[q][h];
            if (sorted) continue;
            for (int q = 0; q < quantiles.Length; q++) step[q] = quantiles[q][h];
            step.Sort();
            for (int q = 0; q < quantiles.Length; q++) quantiles[q][h] = step[q];
        }
    }
}
