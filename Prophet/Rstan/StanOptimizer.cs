namespace Forecast.Prophet.Rstan;

/// <summary>
/// The one entry into Stan's optimisers: prophet's algorithm choice and fallback (forecaster.py / prophet.R
/// <c>fit</c>: Newton when T &lt; 100, else L-BFGS, and Newton again when L-BFGS ends with a non-zero return code)
/// around <see cref="StanLbfgs"/> and <see cref="StanNewton"/>. <see cref="RunRCompatible"/> evaluates the log
/// posterior with rstan 2.21's own arithmetic (<see cref="RstanObjective"/>), so the run is R prophet 1.0's.
/// </summary>
internal static class StanOptimizer
{
    /// <summary>R prophet 1.0's fit: rstan's optimisers on rstan's arithmetic, from <paramref name="x0"/>.</summary>
    public static OptimizationResult RunRCompatible(ProphetStanData data, double[] x0, ProphetFitOptions options, CancellationToken cancellationToken)
    {
        var objective = new RstanObjective(data, options.EigenL1CacheBytes);
        return Run(objective.Evaluate, data.T, x0, options, rstanHessianScaling: true, cancellationToken);
    }

    /// <summary>
    /// Stan's optimisers as prophet calls them on <paramref name="function"/>. <paramref name="rstanHessianScaling"/>
    /// reproduces StanHeaders 2.21's mis-scaled finite-difference Hessian (see <see cref="StanNewton"/>).
    /// </summary>
    public static OptimizationResult Run(GradientFunction function, int rows, double[] x0, ProphetFitOptions options, bool rstanHessianScaling,
        CancellationToken cancellationToken)
    {
        var algorithm = options.Algorithm == OptimizerAlgorithm.Auto
            ? rows < 100 ? OptimizerAlgorithm.Newton : OptimizerAlgorithm.Lbfgs
            : options.Algorithm;
        var newton = new StanNewton { MaxIterations = options.Iterations, RstanHessianScaling = rstanHessianScaling };
        if (algorithm == OptimizerAlgorithm.Newton)
        {
            return newton.Minimize(function, x0, cancellationToken);
        }

        var lbfgs = new StanLbfgs { MaxIterations = options.Iterations }.Minimize(function, x0, cancellationToken);
        if (lbfgs.Succeeded || !options.NewtonFallback)
        {
            return lbfgs;
        }

        // prophet: "Optimization terminated abnormally. Falling back to Newton." (R: return_code != 0)
        return newton.Minimize(function, x0, cancellationToken) with { Algorithm = "LBFGS->Newton" };
    }
}
