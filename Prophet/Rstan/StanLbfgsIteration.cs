namespace Forecast.Prophet.Rstan;

/// <summary>
/// One L-BFGS iteration as rstan's verbose output reports it (stan/services/optimize/lbfgs.hpp): the log posterior
/// after the step, ||dx|| (BFGSMinimizer::prev_step_size), ||grad||, the accepted step size alpha and the initial
/// guess alpha0 of the line search, the number of gradient evaluations so far, the note ("LS failed, Hessian reset")
/// and the termination code (0 = continue; see <see cref="OptimizationResult"/>).
/// </summary>
internal sealed record StanLbfgsIteration(
    int Iteration,
    double LogPosterior,
    double StepNorm,
    double GradientNorm,
    double Alpha,
    double Alpha0,
    long Evaluations,
    string Note,
    int ReturnCode);
