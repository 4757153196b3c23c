using System.Globalization;
using System.Text;
using Forecast.Core.Artifacts;

namespace Forecast.Trainer.Auto;

/// <summary>
/// The record of <c>model: auto</c>'s choices, written as the run's model state.
/// <list type="bullet">
/// <item><c>model/auto/selection.csv</c>: one row per series and call (the Trainer calls the model for each evaluation
/// window and once for the forecast beyond the data; <c>cutoff</c>, the last timestamp of the history, tells them
/// apart): the backtest windows the series had, the metric, the option forecast with and its members (weights for
/// weighted ensembles), then every option's backtest score (empty: not available), and a note on fallbacks.</item>
/// <item><c>model/auto/summary.yaml</c>: per call, every option's score over all series, the greedy ensemble's
/// weights and how many series each option was chosen for.</item>
/// </list>
/// </summary>
internal static class SelectionTable
{
    public const string FileName = RunSelection.FileName;
    public const string SummaryFileName = RunSelection.SummaryFileName;

    /// <summary>With <c>model.auto.quantiles: wql</c>: the quantiles' choice by WQL, in selection.csv's format.</summary>
    public const string QuantileFileName = "quantile_selection.csv";

    public static byte[] Write(AutoSettings settings, IReadOnlyList<(DateTime?[] Cutoffs, Selection Selection, int[] Final, string?[] Notes)> calls)
    {
        var options = calls[0].Selection.Options;
        var csv = new StringBuilder();
        Row(csv, ["unique_id", "cutoff", "windows", "metric", "choice", "members", .. options, "note"]);
        string metric = ConfigurationName(settings.Metric.ToString());
        string timeFormat = ForecastColumns.TimeFormat(calls.SelectMany(c => c.Cutoffs).OfType<DateTime>());
        foreach (var (cutoffs, selection, final, notes) in calls)
        {
            for (int i = 0; i < selection.Series.Count; i++)
            {
                var series = selection.Series[i];
                var fields = new List<string>
                {
                    series.Id,
                    cutoffs[i]?.ToString(timeFormat, CultureInfo.InvariantCulture) ?? "",
                    series.Windows.ToString(CultureInfo.InvariantCulture),
                    metric,
                    selection.Options[final[i]],
                    Members(settings, selection, i, final[i]),
                };
                fields.AddRange(series.Scores.Select(Number));
                fields.Add(notes[i] ?? "");
                Row(csv, fields);
            }
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    public static byte[] Summary(AutoSettings settings, IReadOnlyList<(DateTime?[] Cutoffs, Selection Selection, int[] Final, string?[] Notes)> calls)
    {
        var document = new Dictionary<string, object?>
        {
            ["metric"] = ConfigurationName(settings.Metric.ToString()),
            ["selection"] = ConfigurationName(settings.Selection.ToString()),
            ["candidates"] = settings.Candidates,
            ["calls"] = calls.Select(call =>
            {
                var (cutoffs, selection, final, _) = call;
                var latest = cutoffs.OfType<DateTime>().DefaultIfEmpty().Max();
                return new Dictionary<string, object?>
                {
                    ["latest_cutoff"] = cutoffs.Any(c => c is not null) ? latest.ToString("O", CultureInfo.InvariantCulture) : null,
                    ["series"] = selection.Series.Count,
                    ["backtested_series"] = selection.Series.Count(s => s.Windows > 0),
                    ["scores"] = selection.Options.Select((o, k) => (o, k)).ToDictionary(x => x.o, x => (object?)NullIfNaN(selection.OverallScores[x.k])),
                    ["greedy_weights"] = selection.Ensembles.Contains(EnsembleKind.Greedy)
                        ? settings.Candidates.Select((c, k) => (c, k)).Where(x => selection.GreedyWeights[x.k] > 0).ToDictionary(x => x.c, x => (object?)selection.GreedyWeights[x.k])
                        : null,
                    ["chosen"] = selection.Options.Select((o, k) => (o, count: final.Count(f => f == k))).Where(x => x.count > 0).ToDictionary(x => x.o, x => (object?)x.count),
                };
            }).ToList(),
        };
        return Encoding.UTF8.GetBytes(YamlText.Serialize(document));
    }

    /// <summary>A candidate's name; an ensemble's members as name=weight (weighted) or names (median), ';'-separated.</summary>
    private static string Members(AutoSettings settings, Selection selection, int series, int option)
    {
        if (selection.EnsembleOf(option) is not { } kind) return settings.Candidates[option];
        var members = Selector.Members(kind, selection.Series[series].TopCandidates, selection.Series[series].GreedyWeights);
        double total = members.Sum(m => m.Weight);
        return kind == EnsembleKind.Median
            ? string.Join(';', members.Select(m => settings.Candidates[m.Candidate]))
            : string.Join(';', members.Select(m => $"{settings.Candidates[m.Candidate]}={(m.Weight / total).ToString("0.###", CultureInfo.InvariantCulture)}"));
    }

    private static double? NullIfNaN(double value) => double.IsFinite(value) ? value : null;

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string ConfigurationName(string name) => Configuration.ConfigSection.SnakeCase(name);

    private static void Row(StringBuilder csv, IEnumerable<string> fields)
    {
        bool first = true;
        foreach (string field in fields)
        {
            if (!first) csv.Append(',');
            first = false;
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0) csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else csv.Append(field);
        }
        csv.Append('\n');
    }
}
