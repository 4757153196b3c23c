using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Forecast.Prophet;
using Forecast.Prophet.Bench;
using Forecast.Prophet.Tests.Golden;

// Benchmark of the Prophet port side by side with R prophet 1.0: on every golden case, R (one Rscript process,
// r/bench_server.R) and the port fit alternately in the same run — fit, and fit + predict with 1000 interval samples —
// in both fit modes (exact, the default; R-compatible). Also the memory of one fit and the 414 M4-hourly series.
// Usage: dotnet run -c Release --project bench/Prophet [-- --runs N] [--block K (0: none)] [--predict-runs N (0: fit only)] [--cases a,b]
//        | -- --memory <case> | -- --profile <case> | -- --loop <case> <seconds> [r_compatible] | -- --m4 [data.csv]
var root = FindRepositoryRoot();
var casesDirectory = Path.Combine(root, "tests", "Prophet.Tests", "Fixtures", "golden");
var runs = Option("--runs", 5);
var predictRuns = Option("--predict-runs", 3);
// Besides one fit per turn, each turn also runs a block of K consecutive fits of the case on each side (R in its
// process, the port in its own), each fit timed alone: the steady state of fitting many series in one process, as
// microbenchmark and BenchmarkDotNet time, where one fit right after the other side's turn finds cold caches.
var block = Option("--block", 5);

if (args.Length > 1 && args[0] == "--memory")
{
    // Separate process mode: load one case, fit it once, report the process peak and the managed allocations.
    var golden = GoldenCaseFiles.Load(Path.Combine(casesDirectory, args[1]));
    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var baseline = Process.GetCurrentProcess().PeakWorkingSet64;
    golden.CreateModel().Fit(golden.History);
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

if (args.Length > 2 && args[0] == "--loop")
{
    // Fits one case repeatedly for a number of seconds (for `perf record` with DOTNET_PerfMapEnabled=1).
    var golden = GoldenCaseFiles.Load(Path.Combine(casesDirectory, args[1]));
    var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
    var options = args.Length > 3 && args[3] == "r_compatible" ? new ProphetFitOptions { Mode = ProphetFitMode.RCompatible } : new ProphetFitOptions();
    golden.CreateModel().Fit(golden.History, options);
    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var allocatedStart = GC.GetAllocatedBytesForCurrentThread();
    var collectionsStart = GC.CollectionCount(0);
    var loop = Stopwatch.StartNew();
    var fits = 0;
    var pause = int.Parse(Environment.GetEnvironmentVariable("LOOP_PAUSE_MS") ?? "0", CultureInfo.InvariantCulture);
    var single = new List<double>();
    while (loop.Elapsed.TotalSeconds < seconds)
    {
        if (pause > 0)
        {
            Thread.Sleep(pause);
            single.Add(Time(() => golden.CreateModel().Fit(golden.History, options)));
        }
        else
        {
            golden.CreateModel().Fit(golden.History, options);
        }

        fits++;
    }

    if (pause > 0)
    {
        Console.WriteLine(FormattableString.Invariant($"after a {pause} ms pause: median fit {Median(single) * 1000:F3} ms, fastest {single.Min() * 1000:F3} ms"));
    }

    var allocatedPerFit = (GC.GetAllocatedBytesForCurrentThread() - allocatedStart) / (double)fits;
    var collections = GC.CollectionCount(0) - collectionsStart;
    var last = golden.CreateModel().Fit(golden.History, options).Optimization;
    Console.WriteLine(FormattableString.Invariant(
        $"{fits} fits, {loop.Elapsed.TotalMilliseconds / fits:F3} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / fits:F3} ms CPU per fit, {allocatedPerFit / 1024:F1} KB allocated per fit, {collections} gen-0 collections ({last?.Algorithm}, {last?.Iterations} iterations, {last?.ProfileEvaluations} profile evaluations, log posterior {last?.LogPosterior:R})"));
    return;
}

if (args.Length > 1 && args[0] == "--profile")
{
    // Stage timings of one case (median of 5 after a warm-up).
    var golden = GoldenCaseFiles.Load(Path.Combine(casesDirectory, args[1]));
    var (preprocessWall, preprocessCpu) = MeasureWithCpu(9, () => golden.CreateModel().Preprocess(golden.History));
    var (fitWall, fitCpu) = MeasureWithCpu(9, () => golden.CreateModel().Fit(golden.History));
    var fitted = golden.CreateModel().Fit(golden.History);
    var rCompatibleOptions = new ProphetFitOptions { Mode = ProphetFitMode.RCompatible };
    var (compatibleWall, compatibleCpu) = MeasureWithCpu(3, () => golden.CreateModel().Fit(golden.History, rCompatibleOptions));
    var compatibleFitted = golden.CreateModel().Fit(golden.History, rCompatibleOptions);
    var (predictWall, predictCpu) = MeasureWithCpu(9, () => fitted.Predict(golden.Future));
    Console.WriteLine(FormattableString.Invariant($"preprocess {preprocessWall * 1000:F2} ms wall, {preprocessCpu * 1000:F2} ms CPU"));
    var fitMinimum = Enumerable.Range(0, 30).Min(_ => Time(() => golden.CreateModel().Fit(golden.History)));
    Console.WriteLine(FormattableString.Invariant($"fit {fitWall * 1000:F2} ms wall, {fitCpu * 1000:F2} ms CPU, fastest of 30 {fitMinimum * 1000:F2} ms ({fitted.Optimization?.Algorithm}, {fitted.Optimization?.Iterations} iterations)"));
    var compatibleMinimum = Enumerable.Range(0, 5).Min(_ => Time(() => golden.CreateModel().Fit(golden.History, rCompatibleOptions)));
    Console.WriteLine(FormattableString.Invariant($"r_compatible fit {compatibleWall * 1000:F2} ms wall, {compatibleCpu * 1000:F2} ms CPU, fastest of 5 {compatibleMinimum * 1000:F2} ms ({compatibleFitted.Optimization?.Algorithm}, {compatibleFitted.Optimization?.Iterations} iterations)"));
    Console.WriteLine(FormattableString.Invariant($"predict {predictWall * 1000:F2} ms wall, {predictCpu * 1000:F2} ms CPU"));
    return;
}

var filter = OptionText("--cases")?.Split(',');
var directories = Directory.GetDirectories(casesDirectory).Order(StringComparer.Ordinal)
    .Where(d => filter is null || filter.Contains(Path.GetFileName(d))).ToList();
using var r = RProphetProcess.TryStart(Path.Combine(root, "bench", "Prophet", "r", "bench_server.R"), out var problem);
if (r is null)
{
    Console.WriteLine($"R prophet 1.0 is needed for this benchmark (it times R and the port side by side): {problem}");
    Console.WriteLine("Install it with `apt-get install -y r-cran-prophet` (Debian 12: prophet 1.0, rstan 2.21.7). Stopping.");
    Environment.Exit(2);
}

Console.WriteLine($"Prophet side by side with {r.Versions}; {Environment.ProcessorCount} cores; fit: median of {runs}, fit + predict: median of {predictRuns}, after one warm-up each, R and the port alternating; blocks: {block} consecutive fits per side per turn, median of all {runs * block}.");
Console.WriteLine($"Load average at start: {LoadAverage()}");
Console.WriteLine();
Console.WriteLine("| case | T | R fit s | exact fit ms | exact / R | r_compatible fit ms | r_compatible / R | R fit s, blocks | exact fit ms, blocks | exact / R, blocks | r_compatible fit ms, blocks | r_compatible / R, blocks | R fit+predict s | exact fit+predict ms | exact / R | r_compatible fit+predict ms | r_compatible / R | exact optimiser | load avg |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
var exact = new ProphetFitOptions();
var compatible = new ProphetFitOptions { Mode = ProphetFitMode.RCompatible };
foreach (var directory in directories)
{
    var golden = GoldenCaseFiles.Load(directory);
    r.Load(directory);
    string algorithm = "";
    // Each timed call fits a model built before the stopwatch starts, as R's times fit.prophet(model, history) of a
    // model built by prophet() beforehand.
    Func<double> oursExact = () => TimeFit(golden.CreateModel(), m => algorithm = m.Fit(golden.History, exact).Optimization?.Algorithm ?? "none");
    Func<double> oursCompatible = () => TimeFit(golden.CreateModel(), m => m.Fit(golden.History, compatible));
    Func<double> oursExactPredict = () => TimeFit(golden.CreateModel(), m => m.Fit(golden.History, exact).Predict(golden.Future));
    Func<double> oursCompatiblePredict = () => TimeFit(golden.CreateModel(), m => m.Fit(golden.History, compatible).Predict(golden.Future));

    // Warm-up (JIT on our side; R's first fit loads the compiled Stan model), then alternate R and ours.
    oursExact();
    oursCompatible();
    var rFit = new List<double>();
    var exactFit = new List<double>();
    var compatibleFit = new List<double>();
    var rBlock = new List<double>();
    var exactBlock = new List<double>();
    var compatibleBlock = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        rFit.Add(r.Fit());
        exactFit.Add(oursExact());
        compatibleFit.Add(oursCompatible());
        if (block > 0)
        {
            rBlock.AddRange(r.FitBlock(block));
            exactBlock.AddRange(Enumerable.Range(0, block).Select(_ => oursExact()).ToList());
            compatibleBlock.AddRange(Enumerable.Range(0, block).Select(_ => oursCompatible()).ToList());
        }
    }

    var rPredict = new List<double>();
    var exactPredict = new List<double>();
    var compatiblePredict = new List<double>();
    if (predictRuns > 0)
    {
        r.FitPredict();
        oursExactPredict();
    }

    for (var i = 0; i < predictRuns; i++)
    {
        rPredict.Add(r.FitPredict());
        exactPredict.Add(oursExactPredict());
        compatiblePredict.Add(oursCompatiblePredict());
    }

    double rf = Median(rFit), ef = Median(exactFit), cf = Median(compatibleFit);
    double rp = Median(rPredict), ep = Median(exactPredict), cp = Median(compatiblePredict);
    double rb = Median(rBlock), eb = Median(exactBlock), cb = Median(compatibleBlock);
    var blockColumns = block > 0
        ? FormattableString.Invariant($"{rb:F3} | {eb * 1000:F2} | {rb / eb:F0}x | {cb * 1000:F1} | {rb / cb:F1}x")
        : "— | — | — | — | —";
    var predictColumns = predictRuns > 0
        ? FormattableString.Invariant($"{rp:F2} | {ep * 1000:F1} | {rp / ep:F0}x | {cp * 1000:F1} | {rp / cp:F0}x")
        : "— | — | — | — | —";
    Console.WriteLine(FormattableString.Invariant(
        $"| {golden.Name} | {golden.History.RowCount} | {rf:F3} | {ef * 1000:F2} | {rf / ef:F0}x | {cf * 1000:F1} | {rf / cf:F1}x | {blockColumns} | {predictColumns} | {algorithm} | {LoadAverage()} |"));
}

Console.WriteLine();
Console.WriteLine($"Load average at end: {LoadAverage()}");
return;

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

static double TimeFit(Prophet model, Action<Prophet> fit)
{
    var stopwatch = Stopwatch.StartNew();
    fit(model);
    return stopwatch.Elapsed.TotalSeconds;
}

static double Time(Action action)
{
    var stopwatch = Stopwatch.StartNew();
    action();
    return stopwatch.Elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    var n = sorted.Count;
    if (n == 0)
    {
        return double.NaN;
    }

    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
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
