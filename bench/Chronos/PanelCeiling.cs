using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Bench;

/// <summary>
/// What two threads can get out of the panel kernel at Bolt's chunk shapes (16 series × 33 positions = 528 rows), apart
/// from any scheduling of ours: the kernel on one thread, then on both cores at once with each thread multiplying its own
/// matrices (nothing shared, no joins), with the weight packed panel by panel as the batch backend does and pre-packed
/// (no packing), and finally one product split over the two threads by the kernel backend itself. GFLOP/s by wall time
/// and by each thread's CPU time (the latter shows whether a core runs slower while the other is busy).
/// </summary>
internal static unsafe class PanelCeiling
{
    public static void Run()
    {
        (int M, int K, int N)[] shapes = [(528, 512, 512), (528, 512, 2048), (528, 2048, 512), (528, 768, 768), (528, 768, 3072), (528, 3072, 768)];
        foreach (var (m, k, n) in shapes)
        {
            var flops = 2.0 * m * k * n;
            var repeats = Math.Max(5, (int)(1.5e10 / flops));
            var one = Concurrently(1, m, k, n, repeats, prePacked: false);
            var two = Concurrently(2, m, k, n, repeats, prePacked: false);
            var onePacked = Concurrently(1, m, k, n, repeats, prePacked: true);
            var twoPacked = Concurrently(2, m, k, n, repeats, prePacked: true);
            var split = Split(m, k, n, repeats);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m}x{k}x{n}: packing per panel: 1 thread {one}; 2 threads each its own {two} | pre-packed: 1 thread {onePacked}; "
                + $"2 threads {twoPacked} | one product split by KernelBackend (2 parts): {flops * repeats / split / 1e9:F0} GFLOP/s"));
        }
    }

    /// <summary>Each of <paramref name="threads"/> threads multiplies its own x·Wᵀ <paramref name="repeats"/> times, all started together.</summary>
    private static string Concurrently(int threads, int m, int k, int n, int repeats, bool prePacked)
    {
        var wall = new double[threads];
        var cpu = new double[threads];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var random = new Random(t);
            var x = Aligned((long)m * k, random);
            var w = Aligned((long)n * k, random);
            var y = Aligned((long)m * n, random);
            var buffer = Aligned((long)k * PanelKernels.Width, random);
            var panelCount = n / PanelKernels.Width;
            var packed = prePacked ? Aligned((long)n * k, random) : null;
            if (packed is not null)
                for (var panel = 0; panel < panelCount; panel++)
                    PackedWeight.PackPanel(w, k, 1, n, k, panel, packed + (long)panel * k * PanelKernels.Width);
            Product(x, m, k, n, w, y, buffer, packed);           // warm-up
            start.SignalAndWait();
            var watch = Stopwatch.StartNew();
            var cpuStart = ThreadCpu.Seconds();
            for (var i = 0; i < repeats; i++)
                Product(x, m, k, n, w, y, buffer, packed);
            (wall[t], cpu[t]) = (watch.Elapsed.TotalSeconds, ThreadCpu.Seconds() - cpuStart);
            foreach (var block in new[] { x, w, y, buffer, packed })
                if (block is not null)
                    NativeMemory.AlignedFree(block);
        })).ToArray();
        foreach (var worker in workers)
            worker.Start();
        foreach (var worker in workers)
            worker.Join();
        var flops = 2.0 * m * k * n * repeats;
        return string.Join(" + ", Enumerable.Range(0, threads).Select(t =>
            string.Create(CultureInfo.InvariantCulture, $"{flops / wall[t] / 1e9:F0} ({flops / cpu[t] / 1e9:F0}/cpu-s)")))
            + (threads > 1 ? string.Create(CultureInfo.InvariantCulture, $" = {Enumerable.Range(0, threads).Sum(t => flops / wall[t] / 1e9):F0}") : "");
    }

    private static void Product(float* x, int m, int k, int n, float* w, float* y, float* buffer, float* packed)
    {
        if (packed is null)
            PackedWeight.MultiplyPanelByPanel(x, m, w, n, k, y, null, false, 0, n / PanelKernels.Width, buffer);
        else
            for (var panel = 0; panel < n / PanelKernels.Width; panel++)
                PackedWeight.MultiplyPanel(x, k, m, k, packed + (long)panel * k * PanelKernels.Width, PanelKernels.Width,
                    y + panel * PanelKernels.Width, n, PanelKernels.Width);
    }

    private static float* Aligned(long count, Random random)
    {
        var block = (float*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(float)), 64);
        for (long i = 0; i < count; i++)
            block[i] = (float)(random.NextDouble() - 0.5);
        return block;
    }

    /// <summary>Seconds for <paramref name="repeats"/> products through the kernel backend with the call's two threads.</summary>
    private static double Split(int m, int k, int n, int repeats)
    {
        using var noGrad = no_grad();
        using var x = randn(m, k);
        using var call = InferenceCall.Begin(ChronosInferenceOptions.ForDedicatedProcess() with { Backend = ChronosBackend.Kernels },
            ScalarType.Float32, reuseFreedBuffers: true);
        using var kernels = call.OpenBackend();
        using var layer = nn.Linear(k, n, hasBias: false);
        using (kernels.Linear(layer, x)) { }
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
            using (kernels.Linear(layer, x)) { }
        return watch.Elapsed.TotalSeconds;
    }
}
