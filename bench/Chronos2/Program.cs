using System.Diagnostics;
using System.Globalization;
using Forecast.Chronos;
using Forecast.Chronos.Chronos2;
using TorchSharp;
using static TorchSharp.torch;

// Chronos-2 of official size (chronos-2 as seen in a third-party copy of its config, spec §1: d_model 768, d_ff 3072,
// d_kv 64, 12 heads, 12 layers; official chronos_config) with random weights, on random walks of 2048 steps → 64.
// Each case runs in its own process so that its peak RSS (VmHWM, model creation included) is its own.
string[] cases = ["fp32-256", "fp32-1", "bf16-256", "bf16-accuracy"];
var arguments = args.ToList();
var caseIndex = arguments.IndexOf("--case");
if (caseIndex >= 0)
{
    TorchRuntime.SetThreads(Environment.ProcessorCount);
    set_num_interop_threads(1);
    RunCase(arguments[caseIndex + 1]);
    return;
}

var only = arguments.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
Console.WriteLine("| case | batch | precision | median s per call | series/s | peak RSS MiB |");
Console.WriteLine("|---|---|---|---|---|---|");
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
    var batch = name.EndsWith("-1", StringComparison.Ordinal) ? 1 : 256;
    var dtype = name.StartsWith("bf16", StringComparison.Ordinal) ? ScalarType.BFloat16 : ScalarType.Float32;
    using var pipeline = OfficialSize(dtype);
    var series = RandomWalks(batch, 2048);
    using (var warm = NewDisposeScope())
        pipeline.Predict(series.Take(Math.Min(batch, 16)).ToList(), 64);
    var times = new List<double>();
    var runs = batch == 1 ? 3 : 1;   // one call of 256 × 2048 is minutes on 2 cores
    for (var run = 0; run < runs; run++)
    {
        using var scope = NewDisposeScope();
        var watch = Stopwatch.StartNew();
        pipeline.Predict(series, 64);
        times.Add(watch.Elapsed.TotalSeconds);
    }
    times.Sort();
    var median = times[times.Count / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {batch} | {dtype} | {median:F3} | {batch / median:G4} | {PeakRssMiB():F0} |"));
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

static Chronos2Pipeline OfficialSize(ScalarType dtype)
{
    random.manual_seed(1);
    var core = new Chronos2CoreConfig { DModel = 768, DFf = 3072, DKv = 64, NumHeads = 12, NumLayers = 12 };
    var model = new Chronos2Model(core, new Chronos2ForecastingConfig());
    // TorchSharp's default init; the speed does not depend on the values.
    if (dtype != ScalarType.Float32)
        model.to(dtype);
    return new Chronos2Pipeline(model) { Warn = _ => { } };
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

static double PeakRssMiB() => double.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
    .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
