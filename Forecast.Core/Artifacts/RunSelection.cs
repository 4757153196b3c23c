using System.Globalization;
using System.Text;
using Forecast.Core.Data;

namespace Forecast.Core.Artifacts;

/// <summary>
/// model/auto/selection.csv of a <c>model: auto</c> run, read back: per series and forecast call (told apart by the
/// cutoff, the last timestamp of the history), the option chosen, its members and every option's backtest score. A
/// malformed file is a <see cref="DataException"/> naming the file, line and column.
/// </summary>
public sealed record RunSelection(IReadOnlyList<string> Options, IReadOnlyList<RunSelectionRow> Rows)
{
    public const string FileName = "selection.csv";
    public const string SummaryFileName = "summary.yaml";

    private static readonly string[] Leading = ["unique_id", "cutoff", "windows", "metric", "choice", "members"];

    /// <summary>Per series, the row of its latest cutoff: the choice behind the forecast beyond the data.</summary>
    public IReadOnlyList<RunSelectionRow> Latest() =>
        [.. Rows.GroupBy(r => r.Id, StringComparer.Ordinal).Select(g => g.MaxBy(r => r.Cutoff, StringComparer.Ordinal)!)];

    /// <summary>The rows of one series, earliest cutoff first.</summary>
    public IReadOnlyList<RunSelectionRow> Of(string id) =>
        [.. Rows.Where(r => r.Id == id).OrderBy(r => r.Cutoff, StringComparer.Ordinal)];

    public static RunSelection Parse(ReadOnlySpan<byte> utf8, string file)
    {
        var records = CsvRecords.Read(Encoding.UTF8.GetString(utf8), file);
        if (records.Count == 0) throw new DataException($"the selection file is empty; it needs a header {string.Join(',', Leading)},<options>...,note", file, 1);
        var header = records[0].Fields;
        if (header.Count < Leading.Length + 1 || !header.Take(Leading.Length).SequenceEqual(Leading) || header[^1] != "note")
            throw new DataException($"the header must start with {string.Join(',', Leading)} and end with note, got {string.Join(',', header)}.", file, 1);
        var options = header.Skip(Leading.Length).Take(header.Count - Leading.Length - 1).ToList();
        var rows = new List<RunSelectionRow>(records.Count - 1);
        for (int r = 1; r < records.Count; r++)
        {
            var (line, fields) = records[r];
            if (fields.Count != header.Count)
                throw new DataException($"the row has {fields.Count} fields, the header {header.Count}; the file is truncated or not a selection table.", file, line);
            if (!int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int windows))
                throw new DataException($"'{fields[2]}' is not a number of windows.", file, line, "windows");
            var scores = new double[options.Count];
            for (int o = 0; o < options.Count; o++)
            {
                string text = fields[Leading.Length + o];
                if (text.Length == 0) scores[o] = double.NaN;
                else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out scores[o]))
                    throw new DataException($"'{text}' is not a number.", file, line, options[o]);
            }
            if (!options.Contains(fields[4]))
                throw new DataException($"'{fields[4]}' is none of the options {string.Join(", ", options)}.", file, line, "choice");
            rows.Add(new RunSelectionRow(fields[0], fields[1], windows, fields[3], fields[4], fields[5], scores, fields[^1]));
        }
        return new RunSelection(options, rows);
    }
}

/// <summary>One series and call of <see cref="RunSelection"/>; <see cref="Scores"/> follow the options (NaN: not available).</summary>
public sealed record RunSelectionRow(string Id, string Cutoff, int Windows, string Metric, string Choice, string Members, IReadOnlyList<double> Scores, string Note);

/// <summary>model/auto/summary.yaml: per forecast call, each option's backtest score over all series, the greedy weights and the choices' counts.</summary>
public sealed class RunAutoSummary
{
    public string Metric { get; set; } = "";
    public string Selection { get; set; } = "";
    public List<string> Candidates { get; set; } = [];
    public List<RunAutoCall> Calls { get; set; } = [];
}

/// <summary>One forecast call of <see cref="RunAutoSummary"/>.</summary>
public sealed class RunAutoCall
{
    public string? LatestCutoff { get; set; }
    public int Series { get; set; }
    public int BacktestedSeries { get; set; }
    public Dictionary<string, double?> Scores { get; set; } = [];
    public Dictionary<string, double>? GreedyWeights { get; set; }
    public Dictionary<string, int> Chosen { get; set; } = [];
}
