namespace Forecast.Chronos.Bench;

/// <summary>One measured configuration; Python reference figures from shared/reference/chronos/speed.md.</summary>
public sealed record BenchCase(string Name, string Model, int Batch, string Precision, double? ReferenceSeriesPerSecond,
    double? ReferencePeakMiB);
