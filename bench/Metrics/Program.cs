using System.Diagnostics;
using System.Globalization;
using Forecast.Core.Evaluation;
using Forecast.Core.Models;
using Forecast.Core.Models.Baselines;
using Forecast.Core.Series;

// Scores seasonal-naive forecasts of many synthetic hourly series with every metric (MAE, RMSE, MAPE, sMAPE, MASE,
// WAPE, WQL over 9 quantiles, coverage), as the Trainer's evaluation step does. Usage:
//   dotnet run -c Release --project bench/Metrics [-- <series> <history> <horizon> <repetitions>]
int seriesCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
int historyLength = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
int horizon = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 48;
int repetitions = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 7;
const int season = 24;

var series = Synthetic.HourlySeries(seriesCount, historyLength + horizon, seed: 42);
var options = new EvaluationOptions { Horizon = horizon, SeasonLength = season };
var window = EvaluationSplitter.Split(series, options).Single();
var model = new SeasonalNaiveForecaster(season);
var request = new ForecastRequest(horizon, ForecastRequest.DefaultQuantiles);

Console.WriteLine($"series {seriesCount}, history {historyLength}, horizon {horizon}, quantiles {request.Quantiles.Count}, repetitions {repetitions}");
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} logical CPUs, {(Environment.Is64BitProcess ? "x64" : "x86")}");

IReadOnlyList<SeriesForecast> forecasts = [];
var forecastTimes = Measure(repetitions, () => forecasts = model.ForecastAsync(window.Histories, request).GetAwaiter().GetResult());
ModelScore score = null!;
var metricTimes = Measure(repetitions, () => score = MetricsCalculator.Score("bench", model.Name, [window], [forecasts], _ => season, MetricNames.All));

long points = (long)seriesCount * horizon;
Report("seasonal naive forecast (9 quantiles)", forecastTimes, points);
Report("metrics (all 8, per series + dataset)", metricTimes, points);
Console.WriteLine($"dataset MASE {score.Dataset.Metrics[MetricNames.Mase]:F4}, WQL {score.Dataset.Metrics[MetricNames.Wql]:F4}, coverage_80 {score.Dataset.Metrics["coverage_80"]:F4}");
Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");

NumpyReference.Run(window, forecasts, request.Quantiles, season, repetitions, metricTimes.Milliseconds, score.Dataset.Metrics);

static (double[] Milliseconds, double AllocatedMiB) Measure(int repetitions, Action action)
{
    action(); // warm-up: JIT and caches
    var times = new double[repetitions];
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    for (int i = 0; i < repetitions; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }
    double allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (1024.0 * 1024) / repetitions;
    Array.Sort(times);
    return (times, allocated);
}

static void Report(string what, (double[] Milliseconds, double AllocatedMiB) m, long points)
{
    double median = m.Milliseconds[m.Milliseconds.Length / 2];
    Console.WriteLine(FormattableString.Invariant(
        $"{what}: median {median:F1} ms, min {m.Milliseconds[0]:F1} ms, {points / (median / 1000) / 1e6:F1} M points/s, {m.AllocatedMiB:F1} MiB allocated per run"));
}

/// <summary>
/// The reference in the same run: bench/Metrics/reference_metrics.py (numpy, GluonTS-style formulas) on the very same
/// arrays, written as little-endian float64 files. Prints its time, our time as a ratio of it, and the largest
/// relative difference of the dataset metrics. Python is $PYTHON or /usr/bin/python3 (Debian python3-numpy).
/// </summary>
internal static class NumpyReference
{
    public static void Run(EvaluationWindow window, IReadOnlyList<SeriesForecast> forecasts, IReadOnlyList<double> levels, int season,
        int repetitions, double[] ourMilliseconds, IReadOnlyDictionary<string, double> ours)
    {
        string folder = Directory.CreateTempSubdirectory("forecast-bench-metrics").FullName;
        try
        {
            int n = window.Histories.Count, history = window.Histories[0].Length, horizon = window.Actuals[0].Length;
            if (window.Histories.Any(h => h.Length != history)) throw new InvalidOperationException("The reference needs equal-length series.");
            Write(folder, "train", window.Histories.SelectMany(h => h.Values));
            Write(folder, "actual", window.Actuals.SelectMany(a => a));
            Write(folder, "mean", forecasts.SelectMany(f => f.Mean));
            Write(folder, "quantiles", Enumerable.Range(0, levels.Count).SelectMany(q => forecasts.SelectMany(f => f.Quantiles[q])));
            Write(folder, "levels", levels);

            string python = Environment.GetEnvironmentVariable("PYTHON") ?? "/usr/bin/python3";
            string script = Path.Combine(AppContext.BaseDirectory, "reference_metrics.py");
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { script, folder, $"{n}", $"{history}", $"{horizon}", $"{season}", $"{repetitions}" }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd(), errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"numpy reference skipped ({python} failed: {errors.Trim().Split('\n').LastOrDefault()})");
                return;
            }
            using var json = System.Text.Json.JsonDocument.Parse(output);
            var times = json.RootElement.GetProperty("milliseconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            double reference = times[times.Length / 2], ourMedian = ourMilliseconds[ourMilliseconds.Length / 2];
            double referenceMin = times[0], ourMin = ourMilliseconds[0];
            double worst = 0;
            string worstMetric = "";
            foreach (var metric in json.RootElement.GetProperty("metrics").EnumerateObject())
            {
                double theirs = metric.Value.GetDouble(), difference = Math.Abs(ours[metric.Name] - theirs) / Math.Max(1e-300, Math.Abs(theirs));
                if (difference >= worst) (worst, worstMetric) = (difference, metric.Name);
            }
            Console.WriteLine(FormattableString.Invariant(
                $"numpy {json.RootElement.GetProperty("numpy").GetString()} reference (same arrays): median {reference:F1} ms, min {referenceMin:F1} ms; ours / reference = {ourMedian / reference:F2} (medians), {ourMin / referenceMin:F2} (minima); largest relative difference of dataset metrics {worst:E1} ({worstMetric})"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Write(string folder, string name, IEnumerable<double> values)
    {
        using var stream = File.Create(Path.Combine(folder, name + ".bin"));
        using var writer = new BinaryWriter(stream);
        foreach (double v in values) writer.Write(v);
    }
}

/// <summary>Deterministic hourly series: a level, a daily cycle, a slow trend and Gaussian noise (Box-Muller).</summary>
internal static class Synthetic
{
    public static List<TimeSeries> HourlySeries(int count, int length, int seed)
    {
        var random = new Random(seed);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var timestamps = Enumerable.Range(0, length).Select(h => start.AddHours(h)).ToArray();
        var result = new List<TimeSeries>(count);
        for (int s = 0; s < count; s++)
        {
            double level = 50 + 1000 * random.NextDouble(), amplitude = 0.3 * level * random.NextDouble(), trend = 0.01 * level * (random.NextDouble() - 0.5) / length;
            var values = new double[length];
            for (int t = 0; t < length; t++)
            {
                double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                values[t] = level + amplitude * Math.Sin(2 * Math.PI * t / 24) + trend * t + 0.05 * level * noise;
            }
            result.Add(new TimeSeries($"S{s}", timestamps, values) { Frequency = Frequency.Hourly });
        }
        return result;
    }
}
