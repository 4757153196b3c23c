using Forecast.Core.Models;

namespace Forecast.Trainer.Auto;

/// <summary>
/// What <c>model: auto</c> decided for one batch: the options (the candidates, then the ensembles), each series'
/// backtest score of every option and its order of preference, each series' top candidates, and the greedy
/// ensemble's weights.
/// </summary>
/// <param name="OverallScores">Each option's score over all backtested series (NaN when it scored nowhere).</param>
internal sealed record Selection(IReadOnlyList<string> Options, int Candidates, IReadOnlyList<EnsembleKind> Ensembles, double[] GreedyWeights,
    double[] OverallScores, IReadOnlyList<SeriesSelection> Series)
{
    public const string MeanOption = "ensemble_mean";
    public const string MedianOption = "ensemble_median";
    public const string GreedyOption = "ensemble_greedy";

    public static string OptionName(EnsembleKind kind) => kind switch
    {
        EnsembleKind.Mean => MeanOption,
        EnsembleKind.Median => MedianOption,
        _ => GreedyOption,
    };

    /// <summary>The ensemble an option index stands for, or null for a single candidate.</summary>
    public EnsembleKind? EnsembleOf(int option) => option < Candidates ? null : Ensembles[option - Candidates];
}

/// <summary>
/// One series: the number of backtest windows it had, every option's score (NaN: not available, e.g. the candidate
/// failed on it, or no window), the options in order of preference (the first is the choice; the rest are the
/// fallbacks should a model fail on the whole history), its top candidates by score (members of the mean and
/// median ensembles) and its greedy ensemble weights (the overall weights of the candidates it has a score for).
/// </summary>
/// <param name="QuantileScales">Per option, the factor its quantiles' distances from the point forecast are scaled by
/// (<see cref="IntervalScaling"/>; 1: unscaled); null without <c>calibration: scale</c>.</param>
internal sealed record SeriesSelection(string Id, int Windows, double[] Scores, int[] Preference, int[] TopCandidates, double[] GreedyWeights, string? Note,
    double[]? QuantileScales = null)
{
    /// <summary>The factor option <paramref name="option"/>'s quantiles are scaled by for this series (1: unscaled).</summary>
    public double QuantileScale(int option) => QuantileScales is { } scales ? scales[option] : 1;
}

/// <summary>
/// Scores every candidate and ensemble on the backtest of each series and orders them. A candidate is available for a
/// series when it forecast every window of it. The mean and median ensembles combine the series' top_k available
/// candidates (two at least); the greedy ensemble is fitted once over all series (<see cref="GreedyEnsemble"/>).
/// Series without a backtest window take the option with the best score over all series (and the overall top
/// candidates); with no backtest at all, the first candidate.
/// </summary>
internal static class Selector
{
    public static Selection Select(IReadOnlyList<Core.Series.TimeSeries> histories, BacktestPlan plan, CandidateResult[][][] results,
        AutoSettings settings, IReadOnlyList<double> levels)
    {
        int candidates = results.Length;
        var options = settings.Candidates.Concat(settings.Ensembles.Select(Selection.OptionName)).ToList();
        var metric = settings.Metric;
        int n = histories.Count;

        // Per series and candidate: the summed backtest score, or null when the candidate missed a window of it.
        var candidateParts = new BacktestLoss.Part?[n][];
        for (int i = 0; i < n; i++)
        {
            candidateParts[i] = new BacktestLoss.Part?[candidates];
            var items = plan.Series[i];
            if (items.Count == 0) continue;
            for (int c = 0; c < candidates; c++)
            {
                var part = default(BacktestLoss.Part);
                bool complete = true;
                foreach (var (w, j) in items.Items)
                {
                    var forecast = results[c][w][j].Forecast;
                    if (forecast is null) { complete = false; break; }
                    var window = plan.Windows[w];
                    part += BacktestLoss.Of(metric, window.Actuals[j], forecast.Mean, forecast.Quantiles, levels, window.Scales[j]);
                }
                if (complete) candidateParts[i][c] = part;
            }
        }

        var greedyWeights = settings.Ensembles.Contains(EnsembleKind.Greedy)
            ? FitGreedy(plan, results, candidateParts, settings, levels)
            : new double[candidates];

        // Every option's per-series sums: candidates, then ensembles.
        // A series' top candidates (the mean and median ensembles' members) by the same shrunk estimate that ranks its options.
        var candidateRelative = candidateParts.Select(RelativeLogScores).ToArray();
        var candidatePrior = Prior(candidateRelative, candidates);
        var parts = new BacktestLoss.Part?[n][];
        var topCandidates = new int[n][];
        var seriesGreedy = new double[n][];
        for (int i = 0; i < n; i++)
        {
            parts[i] = new BacktestLoss.Part?[options.Count];
            Array.Copy(candidateParts[i], parts[i], candidates);
            var key = ShrunkKeys(candidateRelative[i], candidatePrior, plan.Series[i].Count, settings.Shrinkage);
            var ranked = Enumerable.Range(0, candidates).Where(c => double.IsFinite(key[c])).OrderBy(c => key[c]).ThenBy(c => c).ToArray();
            topCandidates[i] = ranked.Take(settings.TopK).ToArray();
            seriesGreedy[i] = SeriesGreedyWeights(greedyWeights, candidateParts[i], plan.Series[i].Count);
            for (int e = 0; e < settings.Ensembles.Count; e++)
            {
                var members = Members(settings.Ensembles[e], topCandidates[i], seriesGreedy[i]);
                parts[i][candidates + e] = EnsemblePart(settings.Ensembles[e], members, plan, results, i, metric, levels);
            }
        }

        // With calibration: scale, an option's score is that of its scaled quantiles wherever the cross-fitted backtest
        // says they are better, so the choice is among the options as they would be forecast.
        var quantileScales = metric == SelectionMetric.Wql && settings.Calibration == QuantileCalibration.Scale && levels.Count > 0 ? new double[n][] : null;
        var unscaled = new double[n][];
        if (quantileScales is not null)
        {
            Parallel.For(0, n, i =>
            {
                quantileScales[i] = Enumerable.Repeat(1.0, options.Count).ToArray();
                unscaled[i] = parts[i].Select(p => p?.Value ?? double.NaN).ToArray();
                if (plan.Series[i].Count < 2) return;
                for (int o = 0; o < options.Count; o++)
                {
                    if (parts[i][o] is not { } raw) continue;
                    var kind = o < candidates ? (EnsembleKind?)null : settings.Ensembles[o - candidates];
                    var items = OptionItems(kind, kind is null ? [(o, 1.0)] : Members(kind.Value, topCandidates[i], seriesGreedy[i]), plan, results, i);
                    if (items is null || IntervalScaling.CrossFitted(items, levels) is not { } scaled || !(scaled.Value < raw.Value)) continue;
                    parts[i][o] = scaled;
                    quantileScales[i][o] = IntervalScaling.Fit(items, levels);
                }
            });
        }

        // The overall order of options (and of candidates), over the series where every option that scored anywhere scored.
        var overallScores = OverallScores(parts, options.Count, metric);
        var overall = Order(overallScores);
        var overallCandidates = Order(OverallScores(candidateParts, candidates, metric));
        bool anyBacktest = plan.Series.Any(s => s.Count > 0);
        var relative = parts.Select(RelativeLogScores).ToArray();
        var prior = Prior(relative, options.Count);

        var series = new SeriesSelection[n];
        for (int i = 0; i < n; i++)
        {
            var scores = parts[i].Select(p => p?.Value ?? double.NaN).ToArray();
            string? note = null;
            int[] preference;
            if (!anyBacktest)
            {
                // Nothing to learn from: the candidates in the order given, then the ensembles of the first top_k.
                preference = [.. Enumerable.Range(0, options.Count)];
                topCandidates[i] = [.. Enumerable.Range(0, Math.Min(settings.TopK, candidates))];
                note = "no series is long enough for a backtest window; the first candidate";
            }
            else if (plan.Series[i].Count == 0)
            {
                preference = overall;
                topCandidates[i] = [.. overallCandidates.Take(settings.TopK)];
                note = "too short for a backtest window; the best option over all series";
            }
            else if (settings.Selection == SelectionScope.Global)
            {
                preference = overall;
            }
            else
            {
                var key = ShrunkKeys(relative[i], prior, plan.Series[i].Count, settings.Shrinkage);
                var own = Enumerable.Range(0, options.Count).Where(o => double.IsFinite(key[o])).OrderBy(o => key[o]).ThenBy(o => o).ToList();
                preference = [.. own, .. overall.Where(o => !own.Contains(o))];
            }
            if (BacktestFailures(plan, results, candidateParts, i, settings) is { } failures)
                note = note is null ? failures : $"{note}; {failures}";
            if (quantileScales?[i] is { } factors && factors[preference[0]] != 1)
            {
                string scaledNote = FormattableString.Invariant(
                    $"quantiles of {options[preference[0]]} scaled by {factors[preference[0]]:0.###} around its point forecast (cross-fitted backtest WQL {scores[preference[0]]:0.#####}, unscaled {unscaled[i][preference[0]]:0.#####})");
                note = note is null ? scaledNote : $"{note}; {scaledNote}";
            }
            series[i] = new SeriesSelection(histories[i].Id, plan.Series[i].Count, scores, preference, topCandidates[i], seriesGreedy[i], note, quantileScales?[i]);
        }
        return new Selection(options, candidates, settings.Ensembles, greedyWeights, overallScores, series);
    }

    /// <summary>
    /// The candidates that missed a backtest window of a series and why (the first window's error), so that a candidate
    /// left out of a series' choice — e.g. one that cannot fit gaps or zeros — says so in selection.csv.
    /// </summary>
    private static string? BacktestFailures(BacktestPlan plan, CandidateResult[][][] results, BacktestLoss.Part?[][] candidateParts, int series,
        AutoSettings settings)
    {
        var failed = new List<string>();
        for (int c = 0; c < results.Length; c++)
        {
            if (candidateParts[series][c] is not null) continue;
            if (plan.Series[series].Items.Any(item => results[c][item.Window][item.Position].NotApplicable)) continue; // out of its scope: no failure
            string? error = plan.Series[series].Items.Select(item => results[c][item.Window][item.Position].Error).FirstOrDefault(e => e is not null);
            if (error is not null) failed.Add($"{settings.Candidates[c]} failed in the backtest ({error})");
        }
        return failed.Count == 0 ? null : string.Join("; ", failed);
    }

    /// <summary>
    /// A series' greedy weights: the overall ones, less the candidates that missed a backtest window of the series (a
    /// model that cannot forecast it is no member of its ensemble); a series without windows keeps them all.
    /// </summary>
    private static double[] SeriesGreedyWeights(double[] greedyWeights, BacktestLoss.Part?[] candidateParts, int windows) =>
        windows == 0 ? greedyWeights : [.. greedyWeights.Select((w, c) => candidateParts[c] is null ? 0 : w)];

    /// <summary>The candidates (and weights) an ensemble of one series combines.</summary>
    public static List<(int Candidate, double Weight)> Members(EnsembleKind kind, int[] topCandidates, double[] greedyWeights) => kind switch
    {
        EnsembleKind.Greedy => [.. greedyWeights.Select((w, c) => (c, w)).Where(m => m.w > 0)],
        _ => topCandidates.Length >= 2 ? [.. topCandidates.Select(c => (c, 1.0))] : [],
    };

    /// <summary>Combines the members' forecasts of one series (members missing are left out, the weights renormalised).</summary>
    public static SeriesForecast? Combine(EnsembleKind kind, IReadOnlyList<(int Candidate, double Weight)> members, Func<int, SeriesForecast?> forecastOf)
    {
        var present = members.Select(m => (Forecast: forecastOf(m.Candidate), m.Weight)).Where(m => m.Forecast is not null).ToList();
        if (present.Count == 0) return null;
        return kind == EnsembleKind.Median
            ? ForecastCombiner.Median([.. present.Select(m => m.Forecast!)])
            : ForecastCombiner.Weighted([.. present.Select(m => (m.Forecast!, m.Weight))]);
    }

    private static BacktestLoss.Part? EnsemblePart(EnsembleKind kind, List<(int Candidate, double Weight)> members, BacktestPlan plan,
        CandidateResult[][][] results, int series, SelectionMetric metric, IReadOnlyList<double> levels)
    {
        if (OptionItems(kind, members, plan, results, series) is not { } items) return null;
        var part = default(BacktestLoss.Part);
        foreach (var (actual, forecast, scale) in items)
            part += BacktestLoss.Of(metric, actual, forecast.Mean, forecast.Quantiles, levels, scale);
        return part;
    }

    /// <summary>
    /// One option's forecast of each backtest window of a series (a candidate: <paramref name="kind"/> null and its one
    /// member), with the window's actuals; null when it has no window or a member missed one.
    /// </summary>
    private static List<IntervalScaling.Item>? OptionItems(EnsembleKind? kind, List<(int Candidate, double Weight)> members, BacktestPlan plan,
        CandidateResult[][][] results, int series)
    {
        var items = plan.Series[series];
        if (items.Count == 0 || members.Count == 0) return null;
        var list = new List<IntervalScaling.Item>(items.Count);
        foreach (var (w, j) in items.Items)
        {
            var forecast = kind is null ? results[members[0].Candidate][w][j].Forecast : Combine(kind.Value, members, c => results[c][w][j].Forecast);
            if (forecast is null) return null;
            list.Add(new IntervalScaling.Item(plan.Windows[w].Actuals[j], forecast, plan.Windows[w].Scales[j]));
        }
        return list;
    }

    /// <summary>
    /// The greedy weights, fitted on the items of every series that all candidates of the pool forecast; the pool starts
    /// with every candidate and loses the one available on the fewest series until such items exist.
    /// </summary>
    private static double[] FitGreedy(BacktestPlan plan, CandidateResult[][][] results, BacktestLoss.Part?[][] candidateParts, AutoSettings settings,
        IReadOnlyList<double> levels)
    {
        int candidates = results.Length;
        var pool = Enumerable.Range(0, candidates).ToList();
        while (pool.Count > 0)
        {
            var complete = Enumerable.Range(0, plan.Series.Count).Where(i => plan.Series[i].Count > 0 && pool.All(c => candidateParts[i][c] is not null)).ToList();
            if (complete.Count > 0)
            {
                var items = new List<GreedyEnsemble.Item>();
                foreach (int i in complete)
                    foreach (var (w, j) in plan.Series[i].Items)
                        items.Add(new GreedyEnsemble.Item(i, plan.Windows[w].Actuals[j], plan.Windows[w].Scales[j], [.. pool.Select(c => results[c][w][j].Forecast!)]));
                var poolWeights = GreedyEnsemble.Fit(items, pool.Count, settings.Metric, levels, settings.EnsembleSize);
                var weights = new double[candidates];
                for (int p = 0; p < pool.Count; p++) weights[pool[p]] = poolWeights[p];
                return weights;
            }
            int fewest = pool.OrderBy(c => candidateParts.Count(s => s[c] is not null)).ThenByDescending(c => c).First();
            pool.Remove(fewest);
        }
        return new double[candidates];
    }

    /// <summary>
    /// Every option's score over all series: over the series where every option that scored on some series scored
    /// (so all are compared on the same series), or each over its own series when no series has them all.
    /// </summary>
    private static double[] OverallScores(BacktestLoss.Part?[][] parts, int options, SelectionMetric metric)
    {
        var scoring = Enumerable.Range(0, options).Where(o => parts.Any(p => p[o] is not null)).ToList();
        var common = parts.Where(p => scoring.All(o => p[o] is not null)).ToList();
        var score = new double[options];
        for (int o = 0; o < options; o++)
        {
            var over = common.Count > 0 ? common : [.. parts.Where(p => p[o] is not null)];
            score[o] = scoring.Contains(o) ? BacktestLoss.Aggregate(metric, over.Select(p => p[o]!.Value)) : double.NaN;
        }
        return score;
    }

    /// <summary>
    /// A series' options relative to each other: log score minus the mean log score of the options it has (so a hard
    /// series and an easy one are alike); NaN where an option has no score. A zero score is floored just above zero.
    /// </summary>
    private static double[] RelativeLogScores(BacktestLoss.Part?[] parts)
    {
        var scores = parts.Select(p => p?.Value ?? double.NaN).ToArray();
        var finite = scores.Where(double.IsFinite).ToList();
        var result = new double[scores.Length];
        Array.Fill(result, double.NaN);
        if (finite.Count == 0) return result;
        double floor = Math.Max(finite.Max() * 1e-9, double.Epsilon);
        double mean = finite.Average(v => Math.Log(Math.Max(v, floor)));
        for (int o = 0; o < scores.Length; o++)
            if (double.IsFinite(scores[o])) result[o] = Math.Log(Math.Max(scores[o], floor)) - mean;
        return result;
    }

    /// <summary>Each option's mean relative log score over the series that have every option (else over those that have it).</summary>
    private static double[] Prior(double[][] relative, int options)
    {
        var scoring = Enumerable.Range(0, options).Where(o => relative.Any(r => double.IsFinite(r[o]))).ToList();
        var common = relative.Where(r => scoring.All(o => double.IsFinite(r[o]))).ToList();
        var prior = new double[options];
        for (int o = 0; o < options; o++)
        {
            var over = (common.Count > 0 ? common : relative.Where(r => double.IsFinite(r[o]))).Select(r => r[o]).Where(double.IsFinite).ToList();
            prior[o] = over.Count > 0 && scoring.Contains(o) ? over.Average() : double.NaN;
        }
        return prior;
    }

    /// <summary>
    /// The ranking key of a series' options: its relative log score shrunk toward the option's over all series,
    /// (windows·own + shrinkage·prior) / (windows + shrinkage) — an estimate that trusts a series' own backtest more the
    /// more windows it has (empirical Bayes with a prior worth <paramref name="shrinkage"/> windows).
    /// </summary>
    private static double[] ShrunkKeys(double[] relative, double[] prior, int windows, double shrinkage)
    {
        var key = new double[relative.Length];
        for (int o = 0; o < key.Length; o++)
        {
            key[o] = !double.IsFinite(relative[o]) ? double.NaN
                : shrinkage <= 0 || !double.IsFinite(prior[o]) ? relative[o]
                : (windows * relative[o] + shrinkage * prior[o]) / (windows + shrinkage);
        }
        return key;
    }

    /// <summary>Options by score, best first; those without a score last, in their listed order.</summary>
    private static int[] Order(double[] scores) =>
        [.. Enumerable.Range(0, scores.Length).OrderBy(o => double.IsFinite(scores[o]) ? 0 : 1).ThenBy(o => double.IsFinite(scores[o]) ? scores[o] : 0).ThenBy(o => o)];
}
