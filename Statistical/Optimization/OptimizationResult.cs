namespace Forecast.Statistical.Optimization;

/// <summary>
/// What R's <c>optim()</c> returns: the best point, its value, the evaluation count and the convergence code
/// (0 = converged, 1 = iteration limit reached, 10 = Nelder-Mead simplex degenerate).
/// </summary>
internal sealed record OptimizationResult(double[] X, double Value, int Evaluations, int Convergence);
