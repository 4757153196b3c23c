namespace Forecast.Statistical.Optimization;

/// <summary>
/// An objective evaluated at several points in one call (<paramref name="values"/>[k] = f(<paramref name="points"/>[k]));
/// each value must be what the single-point objective returns for that point, to the bit.
/// </summary>
internal delegate void BatchObjective(double[][] points, double[] values);
