using System.Diagnostics;
using System.Globalization;
using Forecast.Chronos;
using Forecast.Chronos.Bench;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Inference;
using TorchSharp;
using static TorchSharp.torch;

// Chronos-2 of official size (chronos-2 as seen in a third-party copy of its config, spec §1: d_model 768, d_ff 3072,
// d_kv 64, 12 heads, 12 layers; official chronos_config) with random weights, on random walks of 2048 steps → 64.
// Each case runs in its own process so that its peak RSS (VmHWM, model creation included) is its own.
string[] cases = ["fp32-256", "fp32-1", "bf16-256", "bf16-accuracy", "fp32-256-one-pass"];
var arguments = args.ToList();
var caseIndex = arguments.IndexOf("--case");
if (caseIndex >= 0)
{
    TorchRuntime.SetThreads(int.TryParse(Environment.GetEnvironmentVariable("BENCH_THREADS"), out var threads) ? threads : Environment.ProcessorCount);
    set_num_interop_threads(1);
    RunCase(arguments[caseIndex + 1]);
    return;
}

var only = arguments.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
Console.WriteLine("| case | batch | precision | median s per call | series/s | peak RSS MiB | matmul GFLOP/s now | model GFLOP/s |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var name in cases.Where(c => only.Count == 0 || only.Contains(c)))
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
    start.ArgumentList.Add("--case");
    start.ArgumentList.Add(name);
    using var process = Process.Start(start)!;
    Console.WriteLine(process.StandardOutput.ReadToEnd().Trim());
    process.WaitForExit();
}

static void RunCase(string name)
{
    if (name == "bf16-accuracy")
    {
        Bf16Accuracy();
        return;
    }
    // fp32-N / bf16-N: N series (1 and 256 are the standard cases; others for profiling).
    var batch = int.Parse(name.Split('-')[1], CultureInfo.InvariantCulture);
    var dtype = name.StartsWith("bf16", StringComparison.Ordinal) ? ScalarType.BFloat16 : ScalarType.Float32;
    // BENCH_CALIBRATE=0 skips the matmul calibration (for profiles of the calls alone). It runs before the model exists
    // and after the peak is read: its three 2048² matrices (48 MiB) are not the forecast's memory.
    var calibrate = Environment.GetEnvironmentVariable("BENCH_CALIBRATE") != "0";
    var before = calibrate ? MatmulGflops() : double.NaN;
    MemoryBreakdown("libtorch loaded");
    using var pipeline = OfficialSize(dtype);
    MemoryBreakdown("model made");
    if (int.TryParse(Environment.GetEnvironmentVariable("BENCH_CHUNK"), out var chunk))
        pipeline.MaxRowsPerForward = chunk;   // rows per network pass (Chronos2Pipeline.MaxRowsPerForward)
    if (name.EndsWith("-one-pass", StringComparison.Ordinal))
        pipeline.MaxRowsPerForward = batch;   // the reference's behaviour: the whole batch through the network at once
    var series = RandomWalks(batch, 2048);
    using (var warm = NewDisposeScope())
        pipeline.Predict(series.Take(Math.Min(batch, 16)).ToList(), 64);
    MemoryBreakdown("after the warm-up call");
    var times = new List<double>();
    // One call of 256 × 2048 is minutes on 2 cores; BENCH_RUNS sets more (for profiling).
    var runs = int.TryParse(Environment.GetEnvironmentVariable("BENCH_RUNS"), out var r) ? r : batch == 1 ? 3 : 1;
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var run = 0; run < runs; run++)
    {
        using var scope = NewDisposeScope();
        var watch = Stopwatch.StartNew();
        pipeline.Predict(series, 64);
        times.Add(watch.Elapsed.TotalSeconds);
    }
    // CPU seconds per call (all threads, helper polling included) on stderr: with BENCH_THREADS=1 a measure of the work
    // that a loaded machine's time slicing does not inflate.
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"cpu s per call {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / runs:F4}; calls (s) {string.Join(' ', times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}"));
    MemoryBreakdown("after the timed calls");
    var peak = PeakRssMiB();
    var gflops = calibrate ? (before + MatmulGflops()) / 2 : double.NaN;
    times.Sort();
    var median = times[times.Count / 2];
    var modelGflops = batch * FlopsPerSeries() / median / 1e9;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {batch} | {dtype} | {median:F3} | {batch / median:G4} | {peak:F0} | {gflops:F0} | {modelGflops:F0} |"));
}

// bfloat16 quantiles vs float32 on the same weights, relative to each series' scale (mean |context|).
static void Bf16Accuracy()
{
    var series = RandomWalks(64, 2048);
    using var fp32 = OfficialSize(ScalarType.Float32);
    using var bf16 = OfficialSize(ScalarType.BFloat16);
    using var a = cat(fp32.Predict(series, 64).ToArray(), 0);
    using var b = cat(bf16.Predict(series, 64).ToArray(), 0);
    using var scale = tensor(series.Select(s => s.Average(Math.Abs)).ToArray()).view(-1, 1, 1);
    var relative = ((a - b).abs() / scale).max().item<float>();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| bf16-accuracy | 64 | BFloat16 vs Float32 | max |Δq| / scale = {relative:P3} | | |"));
}

// The machine is shared with other work, so a 2048² product is timed around every case: what the machine gave at the
// time (a load gauge; no figure is scaled by it or by a stored one — ratios come from side-by-side.sh's paired runs).
static double MatmulGflops()
{
    using var a = randn(2048, 2048);
    using var b = randn(2048, 2048);
    using (a.matmul(b)) { }
    var best = double.MaxValue;
    for (var i = 0; i < 3; i++)
    {
        var watch = Stopwatch.StartNew();
        using (a.matmul(b)) { }
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
    }
    return 2.0 * 2048 * 2048 * 2048 / best / 1e9;
}

// Matrix-product FLOPs of one 2048-step series → 64 steps: 128 context patches + REG + 4 output patches = 133
// positions; per block time attention (q, k, v, o and the 133² scores), group attention (v, o: every series is its own
// group) and the MLP; input embedding of every position, quantile head of the 4 output positions.
static double FlopsPerSeries()
{
    const double d = 768, inner = 768, ff = 3072, layers = 12, positions = 133, outputs = 4, patch = 16, quantiles = 21;
    var perBlock = positions * (4 * d * inner + 2 * positions * inner + 2 * d * inner + 2 * d * ff);
    var embedding = positions * (3 * patch * ff + ff * d + 3 * patch * d);
    var head = outputs * (d * ff + ff * quantiles * patch + d * quantiles * patch);
    return 2 * (layers * perBlock + embedding + head);
}

static Chronos2Pipeline OfficialSize(ScalarType dtype)
{
    random.manual_seed(1);
    var core = new Chronos2CoreConfig { DModel = 768, DFf = 3072, DKv = 64, NumHeads = 12, NumLayers = 12 };
    var model = new Chronos2Model(core, new Chronos2ForecastingConfig());
    // TorchSharp's default init; the speed does not depend on the values.
    if (dtype != ScalarType.Float32)
        model.UseEncoderDType(dtype);   // as Chronos2Pretrained.Load(dir, dtype)
    // A benchmark process does nothing but forecast: both process-wide tunings on, as the Trainer runs.
    return new Chronos2Pipeline(model) { Warn = _ => { }, Inference = ChronosInferenceOptions.ForDedicatedProcess() };
}

static List<float[]> RandomWalks(int count, int length, int seed = 7)
{
    var random = new Random(seed);
    return Enumerable.Range(0, count).Select(_ =>
    {
        double value = 100;
        return Enumerable.Range(0, length).Select(_ => (float)(value += random.NextDouble() * 2 - 1)).ToArray();
    }).ToList();
}

static double PeakRssMiB() => ResidentMemory.PeakMiB();

// BENCH_MEMORY=1: where the resident memory is (stderr), from /proc/self/smaps: glibc's heap (libtorch's operator
// registry from its static initialisers, small tensors, activations below FreedBufferReuse's limit during a call),
// other anonymous memory (weights and other large tensors, the GC heap, the JIT's code), file-backed pages (libtorch's
// and the runtime's code), and the managed heap the GC has committed.
static void MemoryBreakdown(string when)
{
    if (Environment.GetEnvironmentVariable("BENCH_MEMORY") != "1")
        return;
    // Anonymous memory has no name; a path (or memfd:) is file-backed code and data; pseudo-names ([heap] …) stay.
    var kinds = ResidentMemory.Mappings()
        .GroupBy(m => m.Mapping.Length == 0 ? "anonymous" : m.Mapping.StartsWith('/') || m.Mapping.StartsWith("memfd:") ? "file" : m.Mapping,
            m => m.ResidentKiB)
        .ToDictionary(g => g.Key, g => g.Sum());
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"memory {when}: RSS {kinds.Values.Sum() / 1024.0:F1} MiB = heap {kinds.GetValueOrDefault("[heap]") / 1024.0:F1} + anonymous "
        + $"{kinds.GetValueOrDefault("anonymous") / 1024.0:F1} + file {kinds.GetValueOrDefault("file") / 1024.0:F1} (+ other "
        + $"{kinds.Where(k => k.Key is not ("[heap]" or "anonymous" or "file")).Sum(k => k.Value) / 1024.0:F1}); peak {PeakRssMiB():F1} MiB; "
        + $"GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:F1} MiB"));
}
