namespace Forecast.Prophet;

/// <summary>Function to minimise: returns f(x) and writes its gradient; non-finite values mean "cannot evaluate here".</summary>
internal delegate double GradientFunction(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>
/// Outcome of an optimiser run. <see cref="ReturnCode"/> follows Stan's termination codes
/// (bfgs.hpp TerminationCondition: 10 abs x, 20 abs f, 21 rel f, 30 abs grad, 31 rel grad, 40 max iterations,
/// -1 line search failed); Newton reports 0 on convergence.
/// </summary>
public sealed record OptimizationResult(double[] X, double Value, int ReturnCode, int Iterations, string Algorithm)
{
    /// <summary>rstan reports success (return_code 0) for every non-negative termination code.</summary>
    public bool Succeeded => ReturnCode >= 0;
}
