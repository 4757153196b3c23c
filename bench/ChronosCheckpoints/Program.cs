using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Forecast.Chronos;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.T5;
using static TorchSharp.torch;

// Checkpoint I/O on a Bolt-base-sized checkpoint (d_model 768, d_ff 3072, 12+12 layers: 205 M float32 parameters,
// 821 MB) with random weights. Each case runs in its own process so that its peak RSS (VmHWM) is its own; the file
// is in the page cache (written just before), so reads measure this code, not the disk.
var arguments = args.ToList();
var folder = Path.Combine(Path.GetTempPath(), "forecast-checkpoint-bench");
var caseIndex = arguments.IndexOf("--case");
if (caseIndex >= 0)
{
    RunCase(arguments[caseIndex + 1], folder);
    return;
}

string[] all = ["save", "read-f32", "read-bf16", "convert-bf16", "naive-read", "load-bolt", "load-into", "open-header"];
var only = arguments.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
var cases = all.Where(c => only.Count == 0 ? true : only.Contains(c) || (c == "save" && !File.Exists(Path.Combine(folder, "model.safetensors")))).ToArray();
Console.WriteLine("| case | what | median s (3 runs) | MB/s | peak RSS MiB |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var name in cases)
{
    var runs = new List<(double Seconds, double Mb, long RssKb, string What)>();
    for (var run = 0; run < (name == "save" ? 1 : 3); run++)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add("--case");
        start.ArgumentList.Add(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim().Split('\t');
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"case {name} failed: {string.Join(' ', output)}");
        runs.Add((double.Parse(output[0], CultureInfo.InvariantCulture), double.Parse(output[1], CultureInfo.InvariantCulture),
            long.Parse(output[2], CultureInfo.InvariantCulture), output[3]));
    }
    var median = runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {median.What} | {median.Seconds:F3} | {(median.Mb > 0 ? (median.Mb / median.Seconds).ToString("F0", CultureInfo.InvariantCulture) : "–")} | {median.RssKb / 1024} |"));
}

static void RunCase(string name, string folder)
{
    TorchRuntime.EnsureLoaded();
    TorchRuntime.SetThreads(2);
    var weights = Path.Combine(folder, "model.safetensors");
    var megabytes = File.Exists(weights) ? new FileInfo(weights).Length / 1e6 : 0;
    var watch = Stopwatch.StartNew();
    string what;
    switch (name)
    {
        case "save":
        {
            random.manual_seed(1);
            using var model = new ChronosBoltModel(BoltBase, new ChronosBoltConfig());
            watch.Restart();
            SafetensorsTorch.SaveCheckpoint(folder, model.state_dict());
            watch.Stop();
            File.WriteAllText(Path.Combine(folder, "config.json"), BoltBaseConfigJson);
            megabytes = new FileInfo(weights).Length / 1e6;
            what = $"SafetensorsTorch.SaveCheckpoint of a random Bolt-base state_dict ({megabytes:F0} MB)";
            break;
        }
        case "open-header":
        {
            using var file = SafetensorsFile.Open(weights);
            watch.Stop();
            megabytes = 0;
            what = $"SafetensorsFile.Open: map + parse/validate the header ({file.Header.Tensors.Count} tensors)";
            break;
        }
        case "read-f32":
        {
            var tensors = SafetensorsTorch.ReadCheckpoint(folder);
            watch.Stop();
            what = $"SafetensorsTorch.ReadCheckpoint, float32 ({tensors.Count} tensors)";
            Dispose(tensors);
            break;
        }
        case "read-bf16":
        {
            var tensors = SafetensorsTorch.ReadCheckpoint(folder, ScalarType.BFloat16);
            watch.Stop();
            what = "SafetensorsTorch.ReadCheckpoint, converted to bfloat16";
            Dispose(tensors);
            break;
        }
        case "naive-read":
        {
            var tensors = NaiveRead(weights);
            watch.Stop();
            what = "baseline: File.ReadAllBytes + JsonDocument + float[] per tensor + torch.tensor (a test-fixture reader)";
            Dispose(tensors);
            break;
        }
        case "load-bolt":
        {
            using var pipeline = ChronosPretrained.LoadBolt(folder);
            watch.Stop();
            what = "ChronosPretrained.LoadBolt(folder): model built + weights copied from the mapped file";
            break;
        }
        case "load-into":
        {
            var config = ChronosModelConfig.Read(Path.Combine(folder, "config.json"));
            using var model = new ChronosBoltModel(config.T5, config.Bolt!);
            using var checkpoint = SafetensorsCheckpoint.Open(folder);
            foreach (var (parameterName, parameter) in model.state_dict())
                SafetensorsTorch.CopyInto(checkpoint, parameterName, parameter);
            watch.Stop();
            what = "model built + SafetensorsTorch.CopyInto each parameter (what LoadBolt could do)";
            break;
        }
        case "convert-bf16":
        {
            using var values = randn(205_000_000);
            watch.Restart();
            using var converted = values.to_type(ScalarType.BFloat16);
            watch.Stop();
            megabytes = 820;
            what = "libtorch float32 -> bfloat16 conversion of 205 M values alone (to_type)";
            break;
        }
        default:
            throw new ArgumentException($"unknown case {name}");
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds}\t{megabytes}\t{PeakRssKb()}\t{what}"));
}

static void Dispose(Dictionary<string, Tensor> tensors)
{
    foreach (var tensor in tensors.Values)
        tensor.Dispose();
}

/// <summary>The straightforward reader most ports start with: the whole file in a managed array, a float[] per tensor.</summary>
static Dictionary<string, Tensor> NaiveRead(string path)
{
    var bytes = File.ReadAllBytes(path);
    var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
    using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
    var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
    foreach (var entry in header.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
    {
        var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8 + headerLength + (int)offsets[0], (int)(offsets[1] - offsets[0]))).ToArray();
        result[entry.Name] = tensor(values, shape);
    }
    return result;
}

static long PeakRssKb()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

internal static partial class Program
{
    /// <summary>Bolt-base dims (chronos spec §1: amazon/chronos-bolt-base config.json).</summary>
    private static T5Config BoltBase => new() { DModel = 768, DFf = 3072, NumLayers = 12, NumDecoderLayers = 12, NumHeads = 12, DKv = 64, VocabSize = 2 };

    private const string BoltBaseConfigJson = """
        {
          "architectures": ["ChronosBoltModelForForecasting"],
          "chronos_config": {"context_length": 2048, "input_patch_size": 16, "input_patch_stride": 16, "prediction_length": 64,
            "quantiles": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], "use_reg_token": true},
          "chronos_pipeline_class": "ChronosBoltPipeline",
          "d_ff": 3072, "d_kv": 64, "d_model": 768, "decoder_start_token_id": 0, "eos_token_id": 1, "feed_forward_proj": "relu",
          "layer_norm_epsilon": 1e-06, "model_type": "t5", "num_decoder_layers": 12, "num_heads": 12, "num_layers": 12,
          "pad_token_id": 0, "reg_token_id": 1, "relative_attention_max_distance": 128, "relative_attention_num_buckets": 32,
          "torch_dtype": "float32", "vocab_size": 2
        }
        """;
}
