namespace Forecast.Prophet;

/// <summary>Function to minimise: returns f(x) and writes its gradient; non-finite values mean "cannot evaluate here".</summary>
internal delegate double GradientFunction(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>
/// Outcome of an optimiser run. <see cref="X"/> is the unconstrained vector [k, m, delta, log sigma_obs, beta] and
/// <see cref="Value"/> is f = -L there. <see cref="ReturnCode"/> follows Stan's termination codes (bfgs.hpp
/// TerminationCondition: 10 abs x, 20 abs f, 21 rel f, 30 abs grad, 31 rel grad, 40 max iterations, -1 line search
/// failed); Newton and the exact solvers report 0 on convergence.
/// </summary>
public sealed record OptimizationResult(double[] X, double Value, int ReturnCode, int Iterations, string Algorithm)
{
    /// <summary>rstan reports success (return_code 0) for every non-negative termination code.</summary>
    public bool Succeeded => ReturnCode >= 0;

    /// <summary>
    /// The log posterior of prophet.stan at the fit (Stan's <c>log_prob</c>: constants dropped, no Jacobian; rstan's
    /// <c>optimizing()$value</c>).
    /// </summary>
    public double LogPosterior => -Value;

    /// <summary>
    /// How far the fit is from the first-order (KKT) conditions of the MAP, in log-posterior units per unit parameter:
    /// the largest of |dL/dx| over k, m, log sigma_obs and beta, |dL/d delta_j| on each non-zero delta (its prior's
    /// slope ±1/tau included) and |dL/d delta_j| - 1/tau on each zero delta (the subgradient condition of the Laplace
    /// prior). See <see cref="KktTolerance"/>. NaN when no optimiser ran (constant history).
    /// </summary>
    public double KktResidual { get; init; } = double.NaN;

    /// <summary>The tolerance <see cref="KktResidual"/> is judged by (scaled to the problem; see docs/prophet.md).</summary>
    public double KktTolerance { get; init; } = double.NaN;

    /// <summary>True when <see cref="KktResidual"/> is within <see cref="KktTolerance"/>: the fit is a stationary point of the MAP problem.</summary>
    public bool AtKktPoint => KktResidual <= KktTolerance;

    /// <summary>Exact solver: precisions 1/sigma_obs² at which the profile was evaluated by the global search (0 otherwise).</summary>
    public int ProfileEvaluations { get; init; }

    /// <summary>
    /// Exact solver on a linear model: the certified bound on how much higher any sigma_obs could take the log
    /// posterior (NaN when no certificate was computed).
    /// </summary>
    public double GlobalGap { get; init; } = double.NaN;

    /// <summary>
    /// The log posterior grows without bound as sigma_obs → 0 (the model reproduces the history), so no MAP exists.
    /// The exact solver then returns the best local mode with sigma_obs above its floor (as rstan stops at one), or,
    /// when there is none and the data have more rows than parameters (noise-free data), the fit at the floor.
    /// </summary>
    public bool UnboundedPosterior { get; init; }

    /// <summary>
    /// sigma_obs sits at the exact solver's floor (sigma_obs² = 1e-10 · mean(y_scaled²)): the KKT conditions are those of
    /// the problem bounded there.
    /// </summary>
    public bool AtSigmaFloor { get; init; }
}
