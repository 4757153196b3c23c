using System.Diagnostics;
using System.Globalization;
using Forecast.Chronos;
using Forecast.Chronos.Bench;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Inference;
using static TorchSharp.torch;

// Each case runs in its own process so that its peak RSS (VmHWM, model load included) is its own.
BenchCase[] cases =
[
    new("bolt-small-256", "Bolt-small", 256, "float32"),
    new("bolt-small-1", "Bolt-small", 1, "float32"),
    new("bolt-base-256", "Bolt-base", 256, "float32"),
    new("bolt-base-1", "Bolt-base", 1, "float32"),
    new("bolt-small-256-bf16", "Bolt-small", 256, "bfloat16"),
    new("bolt-base-256-bf16", "Bolt-base", 256, "bfloat16"),
    new("t5-small-16", "T5-small, 20 samples", 16, "float32"),
    new("t5-small-1", "T5-small, 20 samples", 1, "float32"),
    new("bolt-small-memory", "Bolt-small, 1000 batches of 8", 8, "float32"),
    new("probe", "probe", 256, "float32"),
    new("probe-t5", "probe", 1, "float32"),
    new("gemm", "linear() GFLOP/s at Bolt's shapes", 0, "float32"),
    new("panel-ceiling", "the panel kernel on one and two cores at Bolt's chunk shapes", 0, "float32"),
    new("fma-peak", "the float32 FMA rate of one thread (256-bit and 128-bit vectors) and of both cores at once", 0, "float32"),
    new("dot-ceiling", "the dot kernels on one thread at one Bolt-base series' shapes, weights hot and cold", 0, "float32"),
    new("bolt-bf16-accuracy", "Bolt-small bf16 vs fp32 quantiles", 256, "bfloat16"),
];

var arguments = args.ToList();
var caseIndex = arguments.IndexOf("--case");
if (caseIndex >= 0)
{
    RunCase(cases.Single(c => c.Name == arguments[caseIndex + 1]));
    return;
}

var only = arguments.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
// Ours alone: no ratio to a stored reference figure is printed (a ratio counts only against the reference run beside
// ours, on the same machine: side-by-side.sh).
Console.WriteLine("| case | model | batch | precision | median s | series/s | peak RSS MiB | sgemm GFLOP/s now |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var benchCase in cases.Where(c => only.Count == 0 || only.Contains(c.Name)))
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    start.ArgumentList.Add(typeof(BenchCase).Assembly.Location);
    start.ArgumentList.Add("--case");
    start.ArgumentList.Add(benchCase.Name);
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) != "dotnet")
        start.ArgumentList.RemoveAt(0);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    Console.WriteLine(output.Trim());
}

static void RunCase(BenchCase benchCase)
{
    TorchRuntime.SetThreads(int.TryParse(Environment.GetEnvironmentVariable("BENCH_THREADS"), out var threads) ? threads : 2);
    set_num_interop_threads(1);
    switch (benchCase.Name)
    {
        case "probe":
            Probe();
            return;
        case "probe-t5":
            ProbeT5();
            return;
        case "bolt-small-memory":
            MemoryFlat();
            return;
        case "bolt-bf16-accuracy":
            Bf16Accuracy();
            return;
        case "gemm":
            GemmShapes();
            return;
        case "panel-ceiling":
            PanelCeiling.Run();
            return;
        case "fma-peak":
            FmaPeak.Run();
            return;
        case "dot-ceiling":
            DotCeiling.Run();
            return;
    }

    var isT5 = benchCase.Name.StartsWith("t5", StringComparison.Ordinal);
    var dtype = benchCase.Precision == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
    using var context = Models.RandomWalks(benchCase.Batch);
    Func<Tensor> forecast;
    IDisposable pipeline;
    if (isT5)
    {
        var t5 = Models.T5(Models.T5Small);
        var sampling = new SamplingSettings { NumSamples = 20, Seed = 1 };
        forecast = () => t5.Predict(context, 64, sampling);
        pipeline = t5;
    }
    else
    {
        var bolt = Models.Bolt(benchCase.Model == "Bolt-base" ? Models.BoltBase : Models.BoltSmall, dtype);
        if (int.TryParse(Environment.GetEnvironmentVariable("BENCH_CHUNK"), out var chunk))
            bolt.MaxBatchSize = chunk;                  // series per chunk (ChronosBoltPipeline.MaxBatchSize)
        forecast = () => bolt.Predict(context, 64);
        pipeline = bolt;
    }

    // BENCH_CALL_PEAK=1: the calls' own peak (stderr), the model's creation left out (its float32 weights made before
    // conversion are most of the process's VmHWM): VmHWM reset to the current RSS (/proc/self/clear_refs, "5") here.
    var callPeak = Environment.GetEnvironmentVariable("BENCH_CALL_PEAK") == "1";
    var afterModel = CurrentRssMiB();
    if (callPeak)
        File.WriteAllText("/proc/self/clear_refs", "5");
    // BENCH_WARMUP: warm-up calls (default 1, as the reference's); more to time the steady state of a process whose JIT
    // tiers methods up over its first calls (DOTNET_TieredCompilation=1 overrides this bench's runtimeconfig).
    var warmups = int.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP"), out var w) ? w : 1;
    for (var warmup = 0; warmup < warmups; warmup++)
        using (forecast()) { }
    var times = new List<double>();
    var runs = int.TryParse(Environment.GetEnvironmentVariable("BENCH_RUNS"), out var r) ? r : 3;   // more for profiling
    var cpu = new List<double>();
    var threadsBefore = ThreadTimes.Snapshot();   // BENCH_THREAD_CPU=1: each call's CPU by thread on stderr
    for (var run = 0; run < runs; run++)
    {
        var watch = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        using (var output = forecast())
        {
            times.Add(watch.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
            if (run == runs - 1 && Environment.GetEnvironmentVariable("BENCH_DUMP") is { Length: > 0 } dump)
            {
                using var contiguous = output.contiguous();   // after the call's times: the copy and the write are not timed
                File.WriteAllBytes(dump, contiguous.bytes.ToArray());   // same-bits checks: sha256sum before/after a change
            }
        }
        if (Environment.GetEnvironmentVariable("BENCH_THREAD_CPU") == "1")
        {
            var threadsNow = ThreadTimes.Snapshot();
            Console.Error.WriteLine($"call {run + 1}: {ThreadTimes.Difference(threadsBefore, threadsNow)}");
            threadsBefore = threadsNow;
        }
    }
    // CPU seconds per call on stderr (development A/B runs on a loaded machine, where wall time says little).
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cpu s per call: {string.Join(" ", cpu.Select(c => c.ToString("F3", CultureInfo.InvariantCulture)))}"));
    // BENCH_THREAD_CPU=total: the timed calls' CPU by thread in one line (two /proc reads only: per-call reads make the
    // JIT tier up the bench's own file code during the calls).
    if (Environment.GetEnvironmentVariable("BENCH_THREAD_CPU") == "total")
        Console.Error.WriteLine($"timed calls' cpu s by thread: {ThreadTimes.Difference(threadsBefore, ThreadTimes.Snapshot())}");
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall s per call: {string.Join(" ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}"));
    if (callPeak)
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calls' peak RSS {PeakRssMiB():F0} MiB (RSS after the model {afterModel:F0} MiB, growth {PeakRssMiB() - afterModel:F0} MiB)"));
    pipeline.Dispose();
    times.Sort();
    var median = times[times.Count / 2];
    var seriesPerSecond = benchCase.Batch / median;
    var peak = PeakRssMiB();                            // before the calibration's 48 MiB of matrices
    var gflops = MatmulGflops();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {benchCase.Name} | {benchCase.Model} | {benchCase.Batch} | {benchCase.Precision} | {median:F3} | {seriesPerSecond:G4} | "
        + $"{peak:F0} | {gflops:F0} |"));
}

// The machine is shared with other work, so a 2048×2048 product is timed next to every case: what the machine gave
// at the time (a load gauge, not a scale for the case's figures).
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

// 1000 batches of 8 series through Bolt-small (BENCH_BATCHES to change): RSS after a tenth of them vs at the end.
static void MemoryFlat()
{
    var batches = int.TryParse(Environment.GetEnvironmentVariable("BENCH_BATCHES"), out var b) ? b : 1000;
    using var bolt = Models.Bolt(Models.BoltSmall, ScalarType.Float32);
    using var context = Models.RandomWalks(8);
    double afterWarmup = 0;
    var watch = Stopwatch.StartNew();
    for (var batch = 1; batch <= batches; batch++)
    {
        using (var scope = NewDisposeScope())
            bolt.Predict(context, 64);
        if (batch == batches / 10)
            afterWarmup = CurrentRssMiB();
    }
    var end = CurrentRssMiB();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| bolt-small-memory | Bolt-small, {batches} batches of 8 | 8 | float32 | {watch.Elapsed.TotalSeconds / batches:F4} per batch | | | "
        + $"RSS {afterWarmup:F0} after {batches / 10} → {end:F0} after {batches} (peak {PeakRssMiB():F0}) | growth {end - afterWarmup:+0;-0;0} MiB |"));
}

// bf16 quantiles vs the float32 path on the same weights, relative to each series' scale (mean |context|).
static void Bf16Accuracy()
{
    using var context = Models.RandomWalks(256);
    using var fp32 = Models.Bolt(Models.BoltSmall, ScalarType.Float32);
    using var bf16 = Models.Bolt(Models.BoltSmall, ScalarType.BFloat16);
    using var a = fp32.Predict(context, 64);
    using var b = bf16.Predict(context, 64);
    using var scale = context.abs().mean([-1L]).view(-1, 1, 1);
    using var spread = (a.select(1, 8) - a.select(1, 0)).abs().mean([-1L]).view(-1, 1, 1);
    var relativeToScale = ((a - b).abs() / scale).max().item<float>();
    var relativeToSpread = ((a - b).abs() / spread).max().item<float>();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| bolt-bf16-accuracy | Bolt-small bf16 vs fp32 | 256 | bfloat16 | max |Δq| / scale = {relativeToScale:P3} | "
        + $"max |Δq| / (q0.9 − q0.1) = {relativeToSpread:P2} | | | |"));
}

// linear() throughput at the shapes Bolt's layers multiply (rows × in → out), weights reused from cache.
static void GemmShapes()
{
    (int M, int K, int N)[] shapes = [(8448, 512, 512), (8448, 512, 2048), (8448, 2048, 512), (528, 512, 512), (528, 512, 2048),
        (528, 2048, 512), (33, 512, 512), (33, 512, 2048), (33, 2048, 512), (33, 768, 768), (33, 768, 3072), (33, 3072, 768), (16, 512, 512),
        (1, 512, 512), (1, 768, 3072), (528, 768, 768), (528, 768, 3072), (528, 3072, 768), (264, 512, 512), (1056, 512, 512)];
    foreach (var (m, k, n) in shapes)
    {
        using var x = randn(m, k);
        using var w = randn(n, k);
        using (nn.functional.linear(x, w)) { }
        var repeats = Math.Max(3, (int)(2e10 / (2.0 * m * k * n)));
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
            using (nn.functional.linear(x, w)) { }
        var seconds = watch.Elapsed.TotalSeconds / repeats;
        var oursSeconds = SessionSeconds(x, w, repeats);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m}x{k}x{n}: {2.0 * m * k * n / seconds / 1e9:F0} GFLOP/s ({seconds * 1e3:F2} ms), ours {2.0 * m * k * n / oursSeconds / 1e9:F0} GFLOP/s ({oursSeconds * 1e3:F2} ms)"));
    }
}

// The same product through the kernel backend (what Chronos-Bolt's float32 inference runs): panel kernels, or dot
// kernels at few rows, on as many threads as libtorch has, with freed buffers reused as the pipeline does.
static double SessionSeconds(Tensor x, Tensor w, int repeats)
{
    using var noGrad = no_grad();
    using var call = InferenceCall.Begin(ChronosInferenceOptions.ForDedicatedProcess() with { Backend = ChronosBackend.Kernels },
        ScalarType.Float32, reuseFreedBuffers: true);
    using var kernels = call.OpenBackend();
    using var layer = nn.Linear(w.shape[1], w.shape[0], hasBias: false);
    layer.weight!.copy_(w);
    using (kernels.Linear(layer, x)) { }
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < repeats; i++)
        using (kernels.Linear(layer, x)) { }
    return watch.Elapsed.TotalSeconds / repeats;
}

static void Probe()
{
    Console.WriteLine($"start {CurrentRssMiB():F0} {Smaps()}");
    // BENCH_MODEL=base / BENCH_DTYPE=bfloat16 probe Bolt-base / the bfloat16 stack instead.
    using var bolt = Models.Bolt(Environment.GetEnvironmentVariable("BENCH_MODEL") == "base" ? Models.BoltBase : Models.BoltSmall,
        Environment.GetEnvironmentVariable("BENCH_DTYPE") == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32);
    if (int.TryParse(Environment.GetEnvironmentVariable("BENCH_CHUNK"), out var chunk))
        bolt.MaxBatchSize = chunk;
    Console.WriteLine($"model {CurrentRssMiB():F0} {Smaps()}");
    using var context = Models.RandomWalks(256);
    var repeats = int.TryParse(Environment.GetEnvironmentVariable("BENCH_REPEATS"), out var r) ? r : 3;
    for (var i = 0; i < repeats; i++)
    {
        var w = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(true);
        using (bolt.Predict(context, 64)) { }
        Console.WriteLine($"cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F3}s wall {w.Elapsed.TotalSeconds:F3}s");
        Console.WriteLine($"allocated {(GC.GetTotalAllocatedBytes(true) - allocated) >> 10} KiB");
        // Gen-0 collections so far: managed wrapper objects of disposed tensors stay in RSS until the first one.
        Console.WriteLine($"predict {i} {w.Elapsed.TotalSeconds:F3}s rss {CurrentRssMiB():F0} peak {PeakRssMiB():F0} "
            + $"live {TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount} gen0 {GC.CollectionCount(0)} {Smaps()}");
    }
    using var one = Models.RandomWalks(1);
    for (var i = 0; i < (repeats > 1 ? 5 : 0); i++)
    {
        var w = Stopwatch.StartNew();
        using (bolt.Predict(one, 64)) { }
        Console.WriteLine($"predict1 {i} {w.Elapsed.TotalSeconds:F4}s");
    }
}

// Where a T5 generation call spends its time (BENCH_BATCH series × 20 samples, 64 steps, BENCH_REPEATS runs;
// FORECAST_CHRONOS_BACKEND picks the backend as for the pipelines):
// tokenizer, encoder, cache set-up, and per step the embedding, decoder stack, logits and sampling.
static void ProbeT5()
{
    var batch = int.TryParse(Environment.GetEnvironmentVariable("BENCH_BATCH"), out var b) ? b : 1;
    using var t5 = Models.T5(Models.T5Small);
    using var context = Models.RandomWalks(batch);
    using var noGrad = no_grad();
    var sampler = new TokenSampler(1, 1.0, 50, 1.0);
    using var arena = new Forecast.Chronos.Kernels.PanelArena();
    var repeats = int.TryParse(Environment.GetEnvironmentVariable("BENCH_REPEATS"), out var r) ? r : 3;
    for (var rep = 0; rep < repeats; rep++)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var w = Stopwatch.StartNew();
        var (ids, mask, _) = t5.Tokenizer.ContextInputTransform(context);
        var tTokenize = w.Elapsed.TotalMilliseconds; w.Restart();
        using var call = InferenceCall.Begin(t5.Inference, ScalarType.Float32, reuseFreedBuffers: true);
        Tensor encoded;
        using (var encoder = call.OpenBackend())
            encoded = t5.Model.Encode(ids, mask, encoder);
        var tEncode = w.Elapsed.TotalMilliseconds; w.Restart();
        using var cache = t5.Model.Decoder.StartDecoding(encoded, mask, 20, 64, LibtorchBackend.Instance);
        var tStart = w.Elapsed.TotalMilliseconds;
        var tokens = zeros(batch * 20, 1, dtype: ScalarType.Int64);
        using var packed = call.OpenGenerationBackend(batch * 20, arena);
        double tEmbed = 0, tStep = 0, tLogits = 0, tSample = 0;
        for (var step = 0; step < 64; step++)
        {
            using var stepScope = NewDisposeScope();
            w.Restart();
            var embedded = t5.Model.Embed(tokens);
            tEmbed += w.Elapsed.TotalMilliseconds; w.Restart();
            var hidden = t5.Model.Decoder.Step(embedded, cache, packed);
            tStep += w.Elapsed.TotalMilliseconds; w.Restart();
            var logits = t5.Model.Logits(hidden, packed).select(1, 0);
            tLogits += w.Elapsed.TotalMilliseconds; w.Restart();
            tokens = sampler.Sample(logits, null).MoveToOuterDisposeScope();
            tSample += w.Elapsed.TotalMilliseconds;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batch {batch} rep {rep}: tokenize {tTokenize:F0} ms, encode {tEncode:F0}, cache {tStart:F0}, "
            + $"64 steps: embed {tEmbed:F0}, decoder {tStep:F0}, logits {tLogits:F0}, sample {tSample:F0}; "
            + $"total {total.Elapsed.TotalMilliseconds:F0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds:F0} ms CPU"));
    }
}

// Resident MiB per mapping (libtorch's code, the heap, anonymous memory …) and the managed heap: where the peak goes.
static string Smaps() =>
    string.Join(" ", ResidentMemory.Mappings()
        .GroupBy(m => m.Mapping.Length == 0 ? "anon" : Path.GetFileName(m.Mapping), m => m.ResidentKiB)
        .Select(g => (Name: g.Key, KiB: g.Sum())).Where(t => t.KiB > 4096).OrderByDescending(t => t.KiB)
        .Select(t => $"{t.Name}={t.KiB / 1024}"))
    + $" managed={GC.GetTotalMemory(false) >> 20}";

static double PeakRssMiB() => ResidentMemory.PeakMiB();

static double CurrentRssMiB() => ResidentMemory.CurrentMiB();
