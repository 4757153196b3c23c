namespace Forecast.Chronos.Bench;

/// <summary>One measured configuration (series per call and precision); the reference is timed beside it by side-by-side.sh.</summary>
public sealed record BenchCase(string Name, string Model, int Batch, string Precision);
