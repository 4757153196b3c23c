// The 414 M4-hourly series (../shared/data/m4_hourly) through the real Trainer CLI with model: prophet — load,
// clean, holdout evaluation (48 h, one prophet fit per series), the final 48 h forecast (a second fit per series),
// metrics and model/ artifacts; EDA and plots off. Target (issue 3): <= 30 s on 2 cores.
//   dotnet run -c Release --project bench/ProphetTrainer [-- --data <csv>] [--runs N] [--samples N]
using System.Diagnostics;
using System.Globalization;
using Forecast.Trainer.Cli;

string data = "/work/shared/data/m4_hourly/data.csv";
int runs = 3;
int samples = 1000;
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--data") data = args[i + 1];
    if (args[i] == "--runs") runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--samples") samples = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
}
if (!File.Exists(data)) { Console.Error.WriteLine($"{data} not found; pass --data <m4 hourly long-format csv>."); return 2; }

string folder = Path.Combine(Path.GetTempPath(), "bench-prophet-trainer", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
string config = Path.Combine(folder, "m4-prophet.yaml");
File.WriteAllText(config, $"""
    run: {"{"} name: m4-prophet, output: {Path.Combine(folder, "out")}, seed: 1 {"}"}
    data: {"{"} path: {data} {"}"}
    cleaning: {"{"} min_length: 96 {"}"}
    eda: {"{"} enabled: false {"}"}
    model:
      name: prophet
      prophet: {"{"} uncertainty_samples: {samples} {"}"}
    evaluation:
      mode: holdout
      horizon: 48
      quantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
      metrics: [mae, rmse, smape, mase, wql, coverage]
    plots: {"{"} enabled: false {"}"}
    """);

Console.WriteLine($"cores {Environment.ProcessorCount}, data {data}, uncertainty_samples {samples}, {runs} runs (after one warm-up)");
var times = new List<double>();
for (int r = 0; r <= runs; r++)
{
    var output = new StringWriter();
    var errors = new StringWriter();
    var watch = Stopwatch.StartNew();
    int code = await TrainerCli.RunAsync(["--config", config], output, errors, interactive: false);
    watch.Stop();
    if (code != 0) { Console.Error.WriteLine(errors.ToString() + output); return code; }
    string metrics = output.ToString().Split('\n').FirstOrDefault(l => l.Contains("Metrics:", StringComparison.Ordinal))?.Trim() ?? "";
    Console.WriteLine($"{(r == 0 ? "warm-up" : $"run {r}")}: {watch.Elapsed.TotalSeconds:F2} s  {metrics[(metrics.IndexOf("Metrics", StringComparison.Ordinal))..]}");
    if (r > 0) times.Add(watch.Elapsed.TotalSeconds);
}
times.Sort();
Console.WriteLine($"median {times[times.Count / 2]:F2} s, min {times[0]:F2} s, max {times[^1]:F2} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB");
Directory.Delete(folder, recursive: true);
return 0;
