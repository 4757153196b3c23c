namespace Forecast.Prophet.Rstan;

/// <summary>
/// Stan's Newton optimiser (stan/optimization/newton.hpp <c>newton_step</c>, services/optimize/newton.hpp), which
/// prophet uses when the history has fewer than 100 rows and as the fallback when L-BFGS fails (spec §10):
/// Hessian by finite differences of the gradient (model/grad_hess_log_prob.hpp: 4-point stencil, epsilon 1e-3),
/// made negative definite through its eigenvalues (make_negative_definite_and_solve), step halving from 1 until the
/// log posterior does not decrease, stop when it improves by at most 1e-8. Written in Stan's terms (log posterior
/// lp = -f, its gradient, its Hessian) so every operation is the C++'s.
/// </summary>
/// <remarks>
/// StanHeaders 2.21's grad_hess_log_prob multiplies the stencil by epsilon/2 where it should divide by 2·epsilon, so
/// its Hessian is epsilon² = 1e-6 times too small and the first trial steps overshoot by ~1e6 before halving brings
/// them back; the accepted steps are then up to twice the Newton step and the iterates zig-zag towards the mode.
/// <see cref="RstanHessianScaling"/> reproduces that (the R-compatible fit); without it the Hessian is scaled
/// correctly: the same fixed point, reached in far fewer iterations. The eigen-decomposition and the two
/// matrix–vector products are Eigen's, operation for operation (<see cref="SymmetricEigen"/>,
/// <see cref="EigenKernels"/>), so with <see cref="RstanObjective"/> the iterations are rstan's.
/// </remarks>
internal sealed class StanNewton
{
    public int MaxIterations { get; init; } = 10000;

    /// <summary>Use grad_hess_log_prob's Hessian scaling (epsilon/2 · stencil) as rstan 2.21 does.</summary>
    public bool RstanHessianScaling { get; init; }

    /// <summary>Called after every iteration with (iteration, log posterior), as services/optimize/newton.hpp logs.</summary>
    public Action<int, double>? Trace { get; init; }

    public OptimizationResult Minimize(GradientFunction function, double[] x0, CancellationToken cancellationToken = default)
    {
        var n = x0.Length;
        var x = (double[])x0.Clone();
        var gradient = new double[n];
        if (!double.IsFinite(function(x, gradient)))
        {
            throw new InvalidOperationException("Error evaluating the initial Newton point: the log posterior is not finite at the init.");
        }

        var hessian = new double[n * n];
        var eigenvalues = new double[n];
        var eigenvectors = new double[n * n];
        var projections = new double[n];
        var step = new double[n];
        var trial = new double[n];
        var perturbed = new double[n];
        var temp = new double[n];
        var iterations = 0;
        var lp = double.NaN;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iterations = iteration + 1;
            var lastLp = lp;

            // grad_hess_log_prob: lp and its gradient at x, then the Hessian of lp.
            var lp0 = -function(x, gradient);
            for (var i = 0; i < n; i++)
            {
                gradient[i] = -gradient[i];
            }

            FiniteDifferenceHessian(function, x, perturbed, temp, hessian);

            // make_negative_definite_and_solve: H(r, c) = hessian[c * n + r] (column-major, Eigen reads the lower
            // triangle); eigenprojections = V' g, each divided by -|lambda|; g = V eigenprojections.
            SymmetricEigen.Decompose(hessian, n, eigenvalues, eigenvectors);
            EigenKernels.TransposedGemv(n, eigenvectors, gradient, projections);
            for (var i = 0; i < n; i++)
            {
                projections[i] = -projections[i] / Math.Abs(eigenvalues[i]);
            }

            EigenKernels.Gemv(n, eigenvectors, projections, step);

            // Halve from 1 until lp does not decrease (an evaluation error counts as lp = -1e100); below 1e-50 the
            // point stays and lp0 is returned.
            var stepSize = 2.0;
            var lp1 = -1e100;
            var moved = false;
            while (lp1 < lp0)
            {
                stepSize *= 0.5;
                if (stepSize < 1e-50)
                {
                    break;
                }

                for (var i = 0; i < n; i++)
                {
                    trial[i] = x[i] - (stepSize * step[i]);
                }

                var f1 = function(trial, temp);
                lp1 = double.IsNaN(f1) ? -1e100 : -f1;
                moved = !(lp1 < lp0);
            }

            if (moved)
            {
                Array.Copy(trial, x, n);
                lp = lp1;
            }
            else
            {
                lp = lp0;
            }

            Trace?.Invoke(iterations, lp);

            // services/optimize/newton.hpp compares with the previous iteration's lp; before the first it holds
            // log_prob with all constants (propto = false), never within 1e-8 of the propto value.
            if (iteration > 0 && Math.Abs(lp - lastLp) <= 1e-8)
            {
                break;
            }

            if (!moved && !RstanHessianScaling)
            {
                break;
            }
        }

        var value = function(x, gradient);
        return new OptimizationResult(x, value, 0, iterations, "Newton");
    }

    /// <summary>
    /// grad_hess_log_prob's stencil (-2e, -e, +e, +2e with weights 1/12, -2/3, 2/3, -1/12): each perturbed gradient,
    /// times the weight, is added to row d and column d. rstan multiplies by epsilon/2; the correct factor is 1/(2
    /// epsilon). Accumulates the Hessian of lp (our function is -lp).
    /// </summary>
    private void FiniteDifferenceHessian(GradientFunction function, double[] x, double[] perturbed, double[] temp, double[] hessian)
    {
        const double epsilon = 1e-3;
        const double halfEpsilon = 0.5 * epsilon;
        ReadOnlySpan<double> perturbations = [-2 * epsilon, -1 * epsilon, epsilon, 2 * epsilon];
        ReadOnlySpan<double> coefficients = [1.0 / 12.0, -2.0 / 3.0, 2.0 / 3.0, -1.0 / 12.0];
        var n = x.Length;
        Array.Clear(hessian);
        Array.Copy(x, perturbed, n);
        for (var d = 0; d < n; d++)
        {
            var rowIter = d * n;
            for (var i = 0; i < 4; i++)
            {
                perturbed[d] = x[d] + perturbations[i];
                function(perturbed, temp);
                var weight = RstanHessianScaling ? halfEpsilon * coefficients[i] : 0.5 * coefficients[i] / epsilon;
                for (var dd = 0; dd < n; dd++)
                {
                    var increment = weight * -temp[dd];
                    hessian[dd + rowIter] += increment;
                    hessian[d + (dd * n)] += increment;
                }
            }

            perturbed[d] = x[d];
        }
    }
}
