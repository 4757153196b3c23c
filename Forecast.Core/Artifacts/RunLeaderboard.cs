using Forecast.Core.Evaluation;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Ranks models across committed runs as the Chronos paper does (Ansari et al. 2024, §5.2, "aggregate relative
/// score"): per dataset, a model's MASE and WQL divided by seasonal naive's on the same windows (written by the Trainer
/// in metrics.yaml), then per model the geometric mean of those ratios over the datasets it ran on. When a model ran
/// several times on a dataset, its newest run counts.
/// </summary>
public static class RunLeaderboard
{
    public static Leaderboard Build(IEnumerable<RunSummary> runs)
    {
        var entries = runs
            .GroupBy(r => (r.Dataset, r.Model))
            .Select(g => g.OrderByDescending(r => r.StartedUtc).ThenByDescending(r => r.RunId, StringComparer.Ordinal).First())
            .Select(r => new LeaderboardEntry(r.Dataset, r.Model, r.RunId, r.StartedUtc,
                Get(r.Metrics, MetricNames.Mase), Get(r.Metrics, MetricNames.Wql),
                Get(r.RelativeToSeasonalNaive, MetricNames.Mase), Get(r.RelativeToSeasonalNaive, MetricNames.Wql)))
            .OrderBy(e => e.Dataset, StringComparer.Ordinal).ThenBy(e => e.RelativeWql).ThenBy(e => e.Model, StringComparer.Ordinal)
            .ToList();
        var models = entries
            .GroupBy(e => e.Model)
            .Select(g => new LeaderboardModel(g.Key, g.Count(),
                RelativeScores.GeometricMean(g.Select(e => e.RelativeMase)),
                RelativeScores.GeometricMean(g.Select(e => e.RelativeWql))))
            // The paper ranks probabilistic forecasts by WQL first; NaN (no finite ratio) goes last.
            .OrderBy(m => double.IsNaN(m.GeometricMeanRelativeWql) ? double.MaxValue : m.GeometricMeanRelativeWql)
            .ThenBy(m => double.IsNaN(m.GeometricMeanRelativeMase) ? double.MaxValue : m.GeometricMeanRelativeMase)
            .ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        return new Leaderboard(models, entries);
    }

    private static double Get(IReadOnlyDictionary<string, double> values, string metric) =>
        values.TryGetValue(metric, out double value) ? value : double.NaN;
}

/// <summary>Models ranked by their aggregate relative scores, and the per-dataset entries behind them.</summary>
public sealed record Leaderboard(IReadOnlyList<LeaderboardModel> Models, IReadOnlyList<LeaderboardEntry> Entries);

/// <summary>A model's geometric means over <see cref="Datasets"/> datasets of MASE and WQL relative to seasonal naive (below 1 beats it).</summary>
public sealed record LeaderboardModel(string Model, int Datasets, double GeometricMeanRelativeMase, double GeometricMeanRelativeWql);

/// <summary>The newest run of a model on a dataset with its MASE, WQL and their ratios to seasonal naive.</summary>
public sealed record LeaderboardEntry(string Dataset, string Model, string RunId, DateTime StartedUtc, double Mase, double Wql, double RelativeMase, double RelativeWql);
