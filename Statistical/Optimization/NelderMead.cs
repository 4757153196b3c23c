namespace Forecast.Statistical.Optimization;

/// <summary>
/// The Nelder-Mead simplex minimiser of R's optim (src/appl/optim.c: <c>nmmin</c>, after J.C. Nash, Compact Numerical
/// Methods for Computers), step for step, so that a fit started where R starts ends where R ends. R forecast's
/// <c>ets()</c> calls exactly this (etsTargetFunctionWrapper.cpp: <c>etsNelderMead</c>).
/// </summary>
internal static class NelderMead
{
    /// <param name="f">The objective.</param>
    /// <param name="start">Starting point (not changed).</param>
    /// <param name="abstol">Stop when the best value is at or below this (R: -Inf).</param>
    /// <param name="reltol">Relative convergence tolerance on the simplex's values (R: sqrt(.Machine$double.eps)).</param>
    /// <param name="alpha">Reflection factor (R: 1).</param>
    /// <param name="beta">Contraction factor (R: 0.5).</param>
    /// <param name="gamma">Expansion factor (R: 2).</param>
    /// <param name="maxit">Maximum number of function evaluations.</param>
    /// <returns>Null when <paramref name="f"/> is not finite at <paramref name="start"/> (R stops with "function cannot
    /// be evaluated at initial parameters").</returns>
    public static OptimizationResult? Minimize(Objective f, ReadOnlySpan<double> start, double abstol, double reltol,
        double alpha = 1.0, double beta = 0.5, double gamma = 2.0, int maxit = 500)
    {
        var search = new NelderMeadSearch(start, abstol, reltol, alpha, beta, gamma, maxit);
        while (search.Next()) search.Report(f(search.Point));
        return search.Result;
    }
}
