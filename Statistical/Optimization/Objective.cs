namespace Forecast.Statistical.Optimization;

/// <summary>A function to minimise; it must not keep or change <paramref name="x"/>.</summary>
internal delegate double Objective(ReadOnlySpan<double> x);
