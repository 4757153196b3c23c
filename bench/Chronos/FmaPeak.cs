using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Bench;

/// <summary>
/// This CPU's float32 FMA rate on one thread, the ceiling of every product kernel: twelve independent chains of FMAs
/// in registers, on 256-bit and on 128-bit vectors, in GFLOP per CPU second (the process's CPU time, so other work on
/// the machine does not count). Where both widths give the same rate the FP units are 128 bits wide and split each
/// 256-bit FMA in two (AMD Zen 1; the "AMD EPYC" model some hypervisors expose may hide which core runs underneath):
/// then a core does 16 float32 FLOP per cycle. Then both cores at once: the same 256-bit chains on two threads started
/// together, in GFLOP per wall second summed over the threads — the machine's ceiling for a call that keeps both cores
/// busy, against which a call's FLOP count bounds its wall time (a hypervisor that takes cycles from a core shows here).
/// </summary>
internal static class FmaPeak
{
    private const long Iterations = 100_000_000;

    /// <summary>The chains' sums, kept so that the JIT cannot drop them.</summary>
    private static float sink;

    public static void Run()
    {
        Measure(wide: true);                            // JIT and clock warm-up
        Measure(wide: false);
        var wide = Measure(wide: true);
        var narrow = Measure(wide: false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one thread, 12 FMA chains: 256-bit {wide:F1} GFLOP/cpu-s, 128-bit {narrow:F1} GFLOP/cpu-s (256-bit ÷ 128-bit {wide / narrow:F2})"));
        for (var round = 1; round <= 3; round++)
            Console.WriteLine(TwoThreads());
    }

    /// <summary>Both cores at once, each thread its own chains, started by one barrier.</summary>
    private static string TwoThreads()
    {
        const int threads = 2;
        var (wall, cpu) = (new double[threads], new double[threads]);
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var seed = sink + 0.9999f;
            _ = WideChains(Vector256.Create(seed), Vector256.Create(1e-7f), Iterations / 10);   // this thread's warm-up
            start.SignalAndWait();
            var watch = Stopwatch.StartNew();
            var cpuStart = ThreadCpu.Seconds();
            var sum = WideChains(Vector256.Create(seed), Vector256.Create(1e-7f), Iterations).ToScalar();
            (wall[t], cpu[t]) = (watch.Elapsed.TotalSeconds, ThreadCpu.Seconds() - cpuStart);
            Interlocked.Exchange(ref sinks[t], sum);
        })).ToArray();
        foreach (var worker in workers)
            worker.Start();
        foreach (var worker in workers)
            worker.Join();
        var flops = 12.0 * 2 * Vector256<float>.Count * Iterations;
        var perWall = Enumerable.Range(0, threads).Select(t => flops / wall[t] / 1e9).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"two threads at once, 256-bit: {perWall[0]:F1} + {perWall[1]:F1} = {perWall.Sum():F1} GFLOP per wall second "
            + $"({flops / cpu[0] / 1e9:F1} and {flops / cpu[1] / 1e9:F1} GFLOP/cpu-s)");
    }

    /// <summary>The two threads' sums, kept so that the JIT cannot drop them.</summary>
    private static readonly float[] sinks = new float[2];

    private static double Measure(bool wide)
    {
        var start = Process.GetCurrentProcess().TotalProcessorTime;
        sink += wide
            ? WideChains(Vector256.Create(sink + 0.9999f), Vector256.Create(sink + 1e-7f), Iterations).ToScalar() * 1e-30f
            : NarrowChains(Vector128.Create(sink + 0.9999f), Vector128.Create(sink + 1e-7f), Iterations).ToScalar() * 1e-30f;
        var seconds = (Process.GetCurrentProcess().TotalProcessorTime - start).TotalSeconds;
        return 12.0 * 2 * (wide ? Vector256<float>.Count : Vector128<float>.Count) * Iterations / seconds / 1e9;
    }

    /// <summary>No calls inside, so that the twelve accumulators stay in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> WideChains(Vector256<float> x, Vector256<float> y, long iterations)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (var i = 0L; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(x, y, a0); a1 = Vector256.FusedMultiplyAdd(x, y, a1);
            a2 = Vector256.FusedMultiplyAdd(x, y, a2); a3 = Vector256.FusedMultiplyAdd(x, y, a3);
            a4 = Vector256.FusedMultiplyAdd(x, y, a4); a5 = Vector256.FusedMultiplyAdd(x, y, a5);
            a6 = Vector256.FusedMultiplyAdd(x, y, a6); a7 = Vector256.FusedMultiplyAdd(x, y, a7);
            a8 = Vector256.FusedMultiplyAdd(x, y, a8); a9 = Vector256.FusedMultiplyAdd(x, y, a9);
            a10 = Vector256.FusedMultiplyAdd(x, y, a10); a11 = Vector256.FusedMultiplyAdd(x, y, a11);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }

    /// <inheritdoc cref="WideChains"/>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> NarrowChains(Vector128<float> x, Vector128<float> y, long iterations)
    {
        Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector128<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (var i = 0L; i < iterations; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(x, y, a0); a1 = Vector128.FusedMultiplyAdd(x, y, a1);
            a2 = Vector128.FusedMultiplyAdd(x, y, a2); a3 = Vector128.FusedMultiplyAdd(x, y, a3);
            a4 = Vector128.FusedMultiplyAdd(x, y, a4); a5 = Vector128.FusedMultiplyAdd(x, y, a5);
            a6 = Vector128.FusedMultiplyAdd(x, y, a6); a7 = Vector128.FusedMultiplyAdd(x, y, a7);
            a8 = Vector128.FusedMultiplyAdd(x, y, a8); a9 = Vector128.FusedMultiplyAdd(x, y, a9);
            a10 = Vector128.FusedMultiplyAdd(x, y, a10); a11 = Vector128.FusedMultiplyAdd(x, y, a11);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }
}
