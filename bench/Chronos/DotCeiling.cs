using System.Globalization;
using System.Runtime.InteropServices;
using Forecast.Chronos.Kernels;

namespace Forecast.Chronos.Bench;

/// <summary>
/// The dot kernels (<see cref="DotKernels"/>: a product of a few rows read straight from nn.Linear's layout) on one
/// thread at one Bolt-base series' shapes (33 rows: 32 patches and the REG token; 1 row: the decoder step), GFLOP per
/// CPU second of the thread: with the weight hot in the caches (the same matrix again and again) and cold (matrices
/// taken in turn from a pool larger than the L3 cache, as a call reads a model's weights once each).
/// </summary>
internal static unsafe class DotCeiling
{
    private const long PoolFloats = 64L << 20;      // 256 MiB of weights

    public static void Run()
    {
        (int M, int K, int N)[] shapes = [(33, 768, 768), (33, 768, 3072), (33, 3072, 768), (1, 768, 768), (1, 768, 3072), (1, 3072, 768)];
        var pool = (float*)NativeMemory.AlignedAlloc((nuint)(PoolFloats * sizeof(float)), 64);
        var random = new Random(1);
        for (long i = 0; i < PoolFloats; i++)
            pool[i] = (float)(random.NextDouble() - 0.5);
        var x = (float*)NativeMemory.AlignedAlloc(33 * 3072 * sizeof(float), 64);
        var y = (float*)NativeMemory.AlignedAlloc(33 * 3072 * sizeof(float), 64);
        for (var i = 0; i < 33 * 3072; i++)
            x[i] = (float)(random.NextDouble() - 0.5);
        foreach (var (m, k, n) in shapes)
        {
            var matrices = (int)(PoolFloats / ((long)k * n));
            var flops = 2.0 * m * k * n;
            var repeats = Math.Max(3 * matrices, (int)(4e9 / flops));
            var hot = Rate(m, k, n, repeats, _ => (nint)pool, flops, x, y);
            var cold = Rate(m, k, n, repeats, r => (nint)(pool + (long)(r % matrices) * k * n), flops, x, y);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m}x{k}x{n}: hot {hot.Gflops:F1} GFLOP/cpu-s; cold {cold.Gflops:F1} GFLOP/cpu-s ({cold.Bandwidth:F1} GB of weights per cpu-s)"));
        }
        NativeMemory.AlignedFree(pool);
        NativeMemory.AlignedFree(x);
        NativeMemory.AlignedFree(y);
    }

    private static (double Gflops, double Bandwidth) Rate(int m, int k, int n, int repeats, Func<int, nint> weightOf, double flops,
        float* x, float* y)
    {
        for (var r = 0; r < 3; r++)
            DotKernels.Multiply(x, m, k, (float*)weightOf(r), 0, n, y, n, null, false);
        var start = ThreadCpu.Seconds();
        for (var r = 0; r < repeats; r++)
            DotKernels.Multiply(x, m, k, (float*)weightOf(r), 0, n, y, n, null, false);
        var seconds = ThreadCpu.Seconds() - start;
        return (flops * repeats / seconds / 1e9, 4.0 * k * n * repeats / seconds / 1e9);
    }
}
