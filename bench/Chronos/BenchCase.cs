namespace Forecast.Chronos.Bench;

/// <summary>One measured configuration; Python reference figures from shared/reference/chronos/speed.md.</summary>
public sealed record BenchCase(string Name, string Model, int Batch, string Precision, double? ReferenceSeriesPerSecond,
    double? ReferencePeakMiB);

/// <summary>speed.md: the reference machine's fp32 2048×2048 matrix product, 2 threads, OpenBLAS.</summary>
public static class ReferenceMachine
{
    public const double MatmulGflops = 134;
}
