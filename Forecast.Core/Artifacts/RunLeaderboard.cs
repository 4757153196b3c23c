using Forecast.Core.Evaluation;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Ranks models across committed runs as the Chronos paper does (Ansari et al. 2024, §5.2, "aggregate relative
/// score"), comparing only runs with the same <see cref="EvaluationSetup"/> (data SHA-256, evaluation mode, horizon,
/// windows, step): per setup, each model's MASE and WQL divided by seasonal naive's on the same windows (written by
/// the Trainer in metrics.yaml), the newest run of a model counting when it ran several times; then per model the
/// geometric mean of those ratios over the setups it ran in. A model is named by its identity
/// (name[/variant][@checkpoint]), so Chronos variants and checkpoints rank side by side.
/// </summary>
public static class RunLeaderboard
{
    public static Leaderboard Build(IEnumerable<RunSummary> runs)
    {
        var entries = runs
            .GroupBy(r => (r.Setup, r.Model))
            .Select(g => g.OrderByDescending(r => r.StartedUtc).ThenByDescending(r => r.RunId, StringComparer.Ordinal).First())
            .Select(r => new LeaderboardEntry(r.Dataset, r.Model, r.RunId, r.StartedUtc,
                Get(r.Metrics, MetricNames.Mase), Get(r.Metrics, MetricNames.Wql),
                Get(r.RelativeToSeasonalNaive, MetricNames.Mase), Get(r.RelativeToSeasonalNaive, MetricNames.Wql), r.Setup))
            .ToList();
        var groups = entries
            .GroupBy(e => e.Setup)
            .Select(g => new LeaderboardGroup(g.Key, g.Key.Describe(), [.. Ranked(g)]))
            .OrderBy(g => g.Setup.Dataset, StringComparer.Ordinal)
            .ThenByDescending(g => g.Entries.Max(e => e.StartedUtc))
            .ToList();
        int setups = groups.Count;
        var models = entries
            .GroupBy(e => e.Model)
            .Select(g => new LeaderboardModel(g.Key, g.Select(e => e.Dataset).Distinct(StringComparer.Ordinal).Count(),
                RelativeScores.GeometricMean(g.Select(e => e.RelativeMase)),
                RelativeScores.GeometricMean(g.Select(e => e.RelativeWql)),
                g.Count(), g.Count() == setups))
            // Only models that ran in every setup share a basis; they rank first. The paper ranks probabilistic
            // forecasts by WQL first; NaN (no finite ratio) goes last.
            .OrderByDescending(m => m.Complete)
            .ThenBy(m => double.IsNaN(m.GeometricMeanRelativeWql) ? double.MaxValue : m.GeometricMeanRelativeWql)
            .ThenBy(m => double.IsNaN(m.GeometricMeanRelativeMase) ? double.MaxValue : m.GeometricMeanRelativeMase)
            .ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        return new Leaderboard(models, [.. groups.SelectMany(g => g.Entries)], groups);
    }

    private static IEnumerable<LeaderboardEntry> Ranked(IEnumerable<LeaderboardEntry> entries) => entries
        .OrderBy(e => double.IsNaN(e.RelativeWql) ? double.MaxValue : e.RelativeWql)
        .ThenBy(e => double.IsNaN(e.RelativeMase) ? double.MaxValue : e.RelativeMase)
        .ThenBy(e => e.Model, StringComparer.Ordinal);

    private static double Get(IReadOnlyDictionary<string, double> values, string metric) =>
        values.TryGetValue(metric, out double value) ? value : double.NaN;
}

/// <summary>
/// Models ranked by their aggregate relative scores, the per-setup entries behind them, and the same entries grouped
/// by setup (each group ranks the models that were scored on the same data, the same way).
/// </summary>
public sealed record Leaderboard(IReadOnlyList<LeaderboardModel> Models, IReadOnlyList<LeaderboardEntry> Entries, IReadOnlyList<LeaderboardGroup> Groups)
{
    public static Leaderboard Empty { get; } = new([], [], []);
}

/// <summary>
/// A model's geometric means of MASE and WQL relative to seasonal naive (below 1 beats it) over the <see cref="Setups"/>
/// setups it ran in (on <see cref="Datasets"/> datasets); <see cref="Complete"/> when that is every setup of the board,
/// so its aggregate compares with every other complete model's.
/// </summary>
public sealed record LeaderboardModel(string Model, int Datasets, double GeometricMeanRelativeMase, double GeometricMeanRelativeWql, int Setups, bool Complete);

/// <summary>The newest run of a model in one setup with its MASE, WQL and their ratios to seasonal naive.</summary>
public sealed record LeaderboardEntry(string Dataset, string Model, string RunId, DateTime StartedUtc, double Mase, double Wql, double RelativeMase, double RelativeWql,
    EvaluationSetup Setup);

/// <summary>Runs scored on the same data the same way, models ranked by relative WQL; <see cref="Title"/> says which setup.</summary>
public sealed record LeaderboardGroup(EvaluationSetup Setup, string Title, IReadOnlyList<LeaderboardEntry> Entries);
