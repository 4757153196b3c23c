extern alias dashboard;
extern alias trainer;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using dashboard::Forecast.Dashboard.Extensions;
using dashboard::Forecast.Dashboard.Services;
using Forecast.Core.Artifacts;
using Forecast.Core.Storage;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using trainer::Forecast.Trainer.Cli;

// What the Evaluator and Dashboard do per request, timed on real runs written by the real Trainer:
//   1. a run of 10,000 monthly series (48 points, horizon 12): its metrics.yaml (run page), forecasts (chart), data (history);
//   2. 300 committed runs: listing them cold (every manifest, config and metrics.yaml) and warm (cached summaries).
//   `catalog`: the run catalog under HTTP load (CatalogLoad: 10,000 runs on disk, 1,000 on s3rver, wrk at 50 connections).
if (args.Length > 0 && args[0] == "catalog") return await Forecast.Bench.EvaluatorDashboard.CatalogLoad.RunAsync(args[1..]);
const int Series = 10_000, Points = 48, Runs = 300;
string root = Path.Combine(Path.GetTempPath(), "forecast-bench-evaluator-dashboard");
if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
Directory.CreateDirectory(root);
string data = Path.Combine(root, "many.csv");
await File.WriteAllTextAsync(data, SyntheticCsv(Series, Points));
string config = Path.Combine(root, "config.yaml");
await File.WriteAllTextAsync(config, $"""
    run:
      name: bench
      output: {Path.Combine(root, "output")}
    data:
      path: {data}
    cleaning:
      min_length: 24
    model:
      name: seasonal_naive
    evaluation:
      horizon: 12
    plots:
      enabled: false
    """);

var watch = Stopwatch.StartNew();
int code = await TrainerCli.RunAsync(["--config", config], TextWriter.Null, Console.Error, interactive: false);
if (code != 0) throw new InvalidOperationException($"the Trainer failed with exit code {code}");
Console.WriteLine(FormattableString.Invariant($"Trainer run of {Series} series: {watch.Elapsed.TotalSeconds:F1} s (setup, not measured below)"));

var store = new LocalFolderArtifactStore(Path.Combine(root, "output"));
string runId = (await RunCatalog.ListCommittedAsync(store)).Single().RunId;

var reader = new RunReader(store);
Measure("run summary (metrics.yaml without per_series, cold)", () => reader.GetSummaryAsync(runId).GetAwaiter().GetResult()!.Series);
Measure("run page: metrics.yaml of 10,000 series (cold)", () => reader.ReadMetricsAsync(runId).GetAwaiter().GetResult()!.PerSeries.Count);
Measure("run page: metrics.yaml of 10,000 series (warm)", () => reader.ReadMetricsAsync(runId).GetAwaiter().GetResult()!.PerSeries.Count);
Measure("forecasts.csv of 10,000 series (cold)", () => reader.ReadForecastsAsync(runId, evaluation: false).GetAwaiter().GetResult()!.Traces.Count);
Measure("evaluation/forecasts.csv of 10,000 series (cold)", () => reader.ReadForecastsAsync(runId, evaluation: true).GetAwaiter().GetResult()!.Traces.Count);
var environment = new BenchEnvironment(root);
var histories = new SeriesHistoryCache(Options.Create(new DashboardOptions { DataRoot = root }), environment,
    new StorageLocations(new S3StorageOptions()), NullLogger<SeriesHistoryCache>.Instance);
var charts = new ChartDataBuilder(reader, histories);
Measure("chart, first series (data file of 480,000 rows loaded)", () => charts.BuildAsync(runId, "s00000", default).GetAwaiter().GetResult()!.X.Length);
var random = new Random(1);
Measure("chart, 100 random series (warm), per series", () =>
{
    int points = 0;
    for (int i = 0; i < 100; i++) points += charts.BuildAsync(runId, $"s{random.Next(Series):00000}", default).GetAwaiter().GetResult()!.X.Length;
    return points;
}, repetitions: 100);

// 300 runs: copies of the small fixture-sized run under new ids (runs are immutable folders).
string smallData = Path.Combine(root, "small.csv");
await File.WriteAllTextAsync(smallData, SyntheticCsv(20, Points));
await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace(data, smallData, StringComparison.Ordinal));
string smallOutput = Path.Combine(root, "runs-output");
await TrainerCli.RunAsync(["--config", config, "--set", $"run.output={smallOutput}"], TextWriter.Null, Console.Error, interactive: false);
string template = Directory.GetDirectories(Path.Combine(smallOutput, "runs")).Single();
for (int r = 1; r < Runs; r++)
{
    string copy = Path.Combine(smallOutput, "runs", FormattableString.Invariant($"{Path.GetFileName(template)}-{r:000}"));
    Directory.CreateDirectory(copy);
    foreach (string file in Directory.GetFiles(template, "*", SearchOption.AllDirectories))
    {
        string target = Path.Combine(copy, Path.GetRelativePath(template, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target);
    }
}
var manyRuns = new RunReader(new LocalFolderArtifactStore(smallOutput));
Measure($"runs list, {Runs} runs (cold)", () => manyRuns.ListAsync().GetAwaiter().GetResult().Count);
Measure($"runs list, {Runs} runs (warm)", () => manyRuns.ListAsync().GetAwaiter().GetResult().Count);
Measure($"leaderboard over {Runs} runs (warm)", () => RunLeaderboard.Build(manyRuns.ListAsync().GetAwaiter().GetResult()).Entries.Count);
Console.WriteLine(FormattableString.Invariant($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB"));
Directory.Delete(root, recursive: true);
return 0;

static void Measure(string what, Func<int> action, int repetitions = 1)
{
    var watch = Stopwatch.StartNew();
    int result = action();
    watch.Stop();
    Console.WriteLine(FormattableString.Invariant($"{what}: {watch.Elapsed.TotalMilliseconds / repetitions:F1} ms (result {result})"));
}

static string SyntheticCsv(int series, int points)
{
    var random = new Random(7);
    var csv = new StringBuilder("unique_id,ds,y\n");
    for (int s = 0; s < series; s++)
    {
        double level = 100 + random.NextDouble() * 50;
        for (int t = 0; t < points; t++)
        {
            level += random.NextDouble() - 0.5;
            csv.Append(CultureInfo.InvariantCulture, $"s{s:00000},{new DateTime(2020, 1, 1).AddMonths(t):yyyy-MM-dd},{level + 10 * Math.Sin(2 * Math.PI * t / 12):R}\n");
        }
    }
    return csv.ToString();
}

/// <summary>The minimum IHostEnvironment the history cache needs: a content root.</summary>
internal sealed class BenchEnvironment(string root) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Production";
    public string ApplicationName { get; set; } = "bench";
    public string ContentRootPath { get; set; } = root;
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
