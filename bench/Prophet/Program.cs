using System.Diagnostics;
using System.Globalization;
using Forecast.Prophet;
using Forecast.Prophet.Bench;

// Benchmark of the Prophet port: fit and fit + predict (1000 interval samples) per golden case against R prophet
// 1.0's timings in each case's timing.json, in both fit modes (exact, the default; R-compatible), and the memory of
// fitting yosemite_subdaily.
// Usage: dotnet run -c Release --project bench/Prophet [-- --runs N [--mode exact|r_compatible] | --memory <case>]
var root = FindRepositoryRoot();
var casesDirectory = Path.Combine(root, "tests", "Prophet.Tests", "Fixtures", "golden");
var runs = args.Length > 1 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;

if (args.Length > 1 && args[0] == "--memory")
{
    // Separate process mode: load one case, fit it once, report the process peak and the managed allocations.
    var golden = new GoldenCaseLoader(Path.Combine(casesDirectory, args[1]));
    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var baseline = Process.GetCurrentProcess().PeakWorkingSet64;
    golden.CreateModel().Fit(golden.Input);
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
    var process = Process.GetCurrentProcess();
    process.Refresh();
    Console.WriteLine(FormattableString.Invariant(
        $"{args[1]}: fit allocated {allocated / 1048576.0:F1} MB managed; process peak working set {process.PeakWorkingSet64 / 1048576.0:F1} MB (after loading the data: {baseline / 1048576.0:F1} MB)"));
    return;
}

if (args.Length > 0 && args[0] == "--m4")
{
    // The 414 M4-hourly series (long CSV), default path: the project's shared data folder.
    var data = args.Length > 1 ? args[1] : "/work/shared/data/m4_hourly/data.csv";
    var baseline = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(data)!)!, "baselines", "m4_hourly.csv");
    M4HourlyBenchmark.Run(data, baseline);
    return;
}

if (args.Length > 1 && args[0] == "--profile")
{
    // Stage timings of one case (median of 5 after a warm-up).
    var golden = new GoldenCaseLoader(Path.Combine(casesDirectory, args[1]));
    var (preprocessWall, preprocessCpu) = MeasureWithCpu(9, () => golden.CreateModel().Preprocess(golden.Input));
    var (fitWall, fitCpu) = MeasureWithCpu(9, () => golden.CreateModel().Fit(golden.Input));
    var fitted = golden.CreateModel().Fit(golden.Input);
    var (predictWall, predictCpu) = MeasureWithCpu(9, () => fitted.Predict(golden.Future));
    Console.WriteLine(FormattableString.Invariant($"preprocess {preprocessWall * 1000:F2} ms wall, {preprocessCpu * 1000:F2} ms CPU"));
    Console.WriteLine(FormattableString.Invariant($"fit {fitWall * 1000:F2} ms wall, {fitCpu * 1000:F2} ms CPU ({fitted.Optimization?.Algorithm}, {fitted.Optimization?.Iterations} iterations)"));
    Console.WriteLine(FormattableString.Invariant($"predict {predictWall * 1000:F2} ms wall, {predictCpu * 1000:F2} ms CPU"));
    return;
}

var modeIndex = Array.IndexOf(args, "--mode");
ProphetFitMode[] modes = modeIndex >= 0 && modeIndex + 1 < args.Length
    ? [args[modeIndex + 1] == "r_compatible" ? ProphetFitMode.RCompatible : ProphetFitMode.Exact]
    : [ProphetFitMode.Exact, ProphetFitMode.RCompatible];
Console.WriteLine($"Prophet benchmark, {runs} timed runs per case after one warm-up (median), {Environment.ProcessorCount} cores");
foreach (var mode in modes)
{
    var fitOptions = new ProphetFitOptions { Mode = mode };
    Console.WriteLine();
    Console.WriteLine($"Fit mode {mode}:");
    Console.WriteLine("| case | T | predict rows | ours fit ms (CPU ms) | R fit s | fit speed-up | ours fit+predict ms (CPU ms) | R fit+predict s | fit+predict speed-up | optimiser |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
    foreach (var directory in Directory.GetDirectories(casesDirectory).Order(StringComparer.Ordinal))
    {
        var golden = new GoldenCaseLoader(directory);
        string algorithm = "";
        var (fit, fitCpu) = MeasureWithCpu(runs, () => algorithm = golden.CreateModel().Fit(golden.Input, fitOptions).Optimization?.Algorithm ?? "none");
        var (fitPredict, fitPredictCpu) = MeasureWithCpu(runs, () =>
        {
            var model = golden.CreateModel().Fit(golden.Input, fitOptions);
            model.Predict(golden.Future);
        });
        Console.WriteLine(FormattableString.Invariant(
            $"| {golden.Name} | {golden.Input.RowCount} | {golden.Future.RowCount} | {fit * 1000:F1} ({fitCpu * 1000:F1}) | {golden.RFitSeconds:F3} | {golden.RFitSeconds / fit:F0}x | {fitPredict * 1000:F1} ({fitPredictCpu * 1000:F1}) | {golden.RFitPredictSeconds:F3} | {golden.RFitPredictSeconds / fitPredict:F0}x | {algorithm} |"));
    }
}

// Median wall time and mean process CPU time (all threads) per call: the machine is shared, so CPU time shows
// the work done even when other processes slow the wall clock.
static (double Wall, double Cpu) MeasureWithCpu(int runs, Action action)
{
    action(); // warm-up (JIT), as R's warm-up fit
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var times = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        times[i] = stopwatch.Elapsed.TotalSeconds;
    }

    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / runs;
    Array.Sort(times);
    return (times[runs / 2], cpu);
}

static string FindRepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Forecast.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository (Forecast.sln not found above the binary).");
}
