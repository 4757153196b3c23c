// model: auto on every shared dataset with at least 8 series (../shared/data), through the real Trainer: holdout =
// the last `horizon` points, scored as the R baselines are (MASE with the whole training part's scale, pooled WQL) on
// the series the baselines scored, next to R forecast 8.20's and prophet 1.0's rows of baselines/summary.csv; the
// geometric mean over datasets of MASE relative to seasonal naive; the wall and CPU time of each auto run (models see
// the last 3000 points, as the baselines' models did), and R's ets() timed
// on a sample of m4_hourly series in the same run (before and after the auto runs; the 414 series' time is that
// sample's mean × 414, an extrapolation), with the load average.
//   dotnet run -c Release --project bench/Auto [-- --data /work/shared/data] [--datasets a,b] [--candidates a,b]
//       [--r-ets-series 6] [--set key=value ...] [--out table.md] [--keep (the run folders are not deleted)]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forecast.Auto.Bench;
using Forecast.Core.Artifacts;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Configuration;

string dataFolder = Option("--data") ?? "/work/shared/data";
int rEtsSeries = int.Parse(Option("--r-ets-series") ?? "6", CultureInfo.InvariantCulture);
string? outFile = Option("--out");
bool keep = args.Contains("--keep");
var extra = args.Select((a, i) => (a, i)).Where(x => x.a == "--set" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();
var all = SharedDataset.Read(dataFolder);
var datasets = Option("--datasets") is { } names
    ? [.. names.Split(',').Select(n => all.Single(d => d.Name == n))]
    : all.Where(d => d.SeriesCount >= 8).ToList();
var candidates = Option("--candidates")?.Split(',');

var report = new StringBuilder();
void Say(string line) { Console.WriteLine(line); report.AppendLine(line); }
string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var l ? string.Join(' ', l) : "";

Say($"cores {Environment.ProcessorCount}; load average {Load()}; data {dataFolder}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var hourly = all.SingleOrDefault(d => d.Name == "m4_hourly");
var rBefore = hourly is null || rEtsSeries == 0 ? null : await REts.TimeAsync(hourly, rEtsSeries);
if (rBefore is not null) Say($"R ets() on {rBefore.Count} m4_hourly series (before): {REts.Describe(rBefore, hourly!.SeriesCount)}; load {Load()}");

var rows = new List<(SharedDataset Dataset, RBaselines R, int Scored, double Mase, double Wql, double AllMase, double Seconds, double Cpu, string Load, string Chosen)>();
foreach (var dataset in datasets)
{
    var r = RBaselines.Read(dataFolder, dataset.Name);
    var (folder, root, seconds, cpu) = await RunAutoAsync(dataset);
    var evaluation = ForecastCsvReader.Read(File.ReadAllBytes(Path.Combine(folder, "evaluation", "forecasts.csv")), "evaluation/forecasts.csv");
    var data = dataset.LoadValues();
    // A sample of a dataset (--data pointing at a copy with some of its series) is scored on the baseline series it holds.
    var scored = r.SeriesIds.Where(data.ContainsKey).ToList();
    var (mase, wql) = scored.Count > 0 ? HoldoutScore.Of(evaluation, data, scored, dataset.SeasonLength) : (double.NaN, double.NaN);
    var (allMase, _) = HoldoutScore.Of(evaluation, data, [.. data.Keys], dataset.SeasonLength);
    string chosen = Chosen(folder);
    var (largest, share) = scored.Count > 0 ? HoldoutScore.LargestShare(data, scored, dataset.Horizon) : ("-", double.NaN);
    rows.Add((dataset, r, scored.Count, mase, wql, allMase, seconds, cpu, Load(), chosen));
    Say(FormattableString.Invariant($"{dataset.Name}: auto MASE {mase:F4} WQL {wql:F5} on the {scored.Count} of the {r.SeriesIds.Count} baseline series the data holds (MASE {allMase:F4} on all {data.Count}); {seconds:F1} s wall, {cpu:F1} s CPU; load {Load()}; holdout choices: {chosen}; largest share of the WQL denominator: {largest} {share:P0}"));
    if (keep) Say($"{dataset.Name}: run kept in {folder}");
    else Directory.Delete(root, recursive: true);
}
var rAfter = hourly is null || rEtsSeries == 0 ? null : await REts.TimeAsync(hourly, rEtsSeries);
if (rAfter is not null) Say($"R ets() on {rAfter.Count} m4_hourly series (after): {REts.Describe(rAfter, hourly!.SeriesCount)}; load {Load()}");

Say("");
Say("| dataset | series (scored) | best R MASE | auto MASE | best R WQL | auto WQL | auto rel. MASE | best R rel. MASE | auto run (wall, CPU) |");
Say("|---|---|---|---|---|---|---|---|---|");
foreach (var row in rows)
{
    // R's baselines aggregate all of their series: a sample scored on fewer is not compared with them.
    if (row.Scored < row.R.SeriesIds.Count)
    {
        Say(FormattableString.Invariant(
            $"| {row.Dataset.Name} (sample) | {row.Scored} of {row.R.SeriesIds.Count} | — | **{row.Mase:F4}** | — | **{row.Wql:F5}** | — | — | {row.Seconds:F1} s, {row.Cpu:F1} s |"));
        continue;
    }
    var bestMase = row.R.Best(m => m.Mase);
    var bestWql = row.R.Best(m => m.Wql);
    double naive = row.R.Methods["seasonal_naive"].Mase;
    Say(FormattableString.Invariant(
        $"| {row.Dataset.Name} | {row.Dataset.SeriesCount} ({row.R.SeriesIds.Count}) | {bestMase.Value:F4} ({bestMase.Method}) | **{row.Mase:F4}** | {bestWql.Value:F5} ({bestWql.Method}) | **{row.Wql:F5}** | {row.Mase / naive:F3} | {bestMase.Value / naive:F3} | {row.Seconds:F1} s, {row.Cpu:F1} s |"));
}
Say("");
if (rows.Any(row => row.Scored < row.R.SeriesIds.Count))
{
    Say("No geometric mean over the datasets: a sample's MASE is not comparable with R's over all baseline series.");
    if (outFile is not null) File.WriteAllText(outFile, report.ToString());
    return 0;
}
var methods = rows[0].R.Methods.Keys.Where(m => rows.All(r => r.R.Methods.ContainsKey(m))).ToList();
double GeoMean(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));
var geo = methods.ToDictionary(m => m, m => GeoMean(rows.Select(r => r.R.Methods[m].Mase / r.R.Methods["seasonal_naive"].Mase)));
double autoGeo = GeoMean(rows.Select(r => r.Mase / r.R.Methods["seasonal_naive"].Mase));
var bestSingle = geo.Where(g => g.Key != "seasonal_naive").MinBy(g => g.Value);
Say("Geometric mean over the datasets of MASE relative to seasonal naive: " +
    string.Join(", ", geo.Select(g => FormattableString.Invariant($"{g.Key} {g.Value:F4}"))) +
    FormattableString.Invariant($", auto {autoGeo:F4} ({(1 - autoGeo / bestSingle.Value) * 100:F1} % better than {bestSingle.Key})."));
if (outFile is not null) File.WriteAllText(outFile, report.ToString());
return 0;

async Task<(string Folder, string Root, double Seconds, double CpuSeconds)> RunAutoAsync(SharedDataset dataset)
{
    string root = Path.Combine(Path.GetTempPath(), "bench-auto", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(root);
    string config = Path.Combine(root, "auto.yaml");
    File.WriteAllText(config, $$"""
        run: { name: {{dataset.Name}}, output: {{Path.Combine(root, "out")}}, seed: 1 }
        data: { path: {{dataset.File}} }
        cleaning: { min_length: 1 }
        eda: { enabled: false }
        model: { name: auto }
        evaluation:
          mode: holdout
          horizon: {{dataset.Horizon}}
          season_length: {{dataset.SeasonLength}}
          quantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
          metrics: [mase, wql]
        plots: { enabled: false }
        """);
    // Every model is told the dataset's season length m (as R's ts frequency): the auto MASE scale and every
    // candidate that has a season_length key.
    // The baselines' protocol: models see at most the last 3000 training points (the MASE scale uses them all).
    var overrides = new List<string> { $"model.auto.season_length={dataset.SeasonLength}", "model.auto.max_history=3000" };
    if (candidates is not null) overrides.Add($"model.auto.candidates=[{string.Join(", ", candidates)}]");
    foreach (string model in new[] { "seasonal_naive", "ets", "arima", "theta" }.Where(ModelRegistry.Default.Names.Contains))
        overrides.Add($"model.{model}.season_length={dataset.SeasonLength}");
    overrides.AddRange(extra);
    var arguments = new List<string> { "--config", config };
    foreach (string o in overrides) { arguments.Add("--set"); arguments.Add(o); }
    var output = new StringWriter();
    var errors = new StringWriter();
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    int code = await TrainerCli.RunAsync([.. arguments], output, errors, interactive: false);
    watch.Stop();
    process.Refresh();
    double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    if (code != 0) throw new InvalidOperationException($"The Trainer failed on {dataset.Name} (exit {code}): {errors}{output}");
    string runs = Path.Combine(root, "out", "runs");
    return (Directory.GetDirectories(runs).Single(), root, watch.Elapsed.TotalSeconds, cpu);
}

static string Chosen(string folder)
{
    string file = Path.Combine(folder, "model", "auto", "selection.csv");
    if (!File.Exists(file)) return "(no selection)";
    var selection = RunSelection.Parse(File.ReadAllBytes(file), "selection.csv");
    // The holdout call: each series' earliest cutoff.
    var first = selection.Rows.GroupBy(r => r.Id).Select(g => g.MinBy(r => r.Cutoff, StringComparer.Ordinal)!);
    return string.Join(", ", first.GroupBy(r => r.Choice).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
