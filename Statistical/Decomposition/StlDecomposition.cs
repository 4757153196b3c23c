namespace Forecast.Statistical.Decomposition;

/// <summary>y = Trend + Seasonal + Remainder, each as long as the series.</summary>
public sealed record StlDecomposition(double[] Trend, double[] Seasonal, double[] Remainder);
