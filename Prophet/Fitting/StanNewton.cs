namespace Forecast.Prophet;

/// <summary>
/// Stan's Newton optimiser (stan/optimization/newton.hpp <c>newton_step</c>, services/optimize/newton.hpp), which
/// prophet uses when the history has fewer than 100 rows and as the fallback when L-BFGS fails (spec §10):
/// Hessian by finite differences of the gradient (grad_hess_log_prob: 4-point stencil, epsilon 1e-3), made
/// negative definite through its eigenvalues (make_negative_definite_and_solve), step halving from 1 until the log
/// posterior does not decrease, stop when it improves by at most 1e-8.
/// </summary>
/// <remarks>
/// Stan 2.21's grad_hess_log_prob multiplies the stencil by epsilon/2 where it should divide by epsilon, so its
/// Hessian is about 1e-6 too small and its first trial steps overshoot by ~1e6 before halving brings them back.
/// We use the correctly scaled Hessian: the same fixed point, reached with fewer halvings.
/// </remarks>
public sealed class StanNewton
{
    public int MaxIterations { get; init; } = 10000;

    public OptimizationResult Minimize(GradientFunction function, double[] x0, CancellationToken cancellationToken = default)
    {
        var n = x0.Length;
        var x = (double[])x0.Clone();
        var gradient = new double[n];
        var f = function(x, gradient);
        if (!double.IsFinite(f))
        {
            throw new InvalidOperationException("Error evaluating the initial Newton point: the log posterior is not finite at the init.");
        }

        var hessian = new double[n * n];
        var eigenvalues = new double[n];
        var eigenvectors = new double[n * n];
        var projections = new double[n];
        var direction = new double[n];
        var trial = new double[n];
        var perturbed = new double[n];
        var temp = new double[n];
        var iterations = 0;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iterations = iteration + 1;
            f = function(x, gradient);
            FiniteDifferenceHessian(function, x, perturbed, temp, hessian);

            // make_negative_definite_and_solve on the log density: in minimisation terms the step is
            // -V diag(1/|lambda|) V' grad f.
            SymmetricEigen.Decompose(hessian, n, eigenvalues, eigenvectors);
            for (var i = 0; i < n; i++)
            {
                var projection = 0.0;
                for (var r = 0; r < n; r++)
                {
                    projection += eigenvectors[(r * n) + i] * gradient[r];
                }

                var magnitude = Math.Abs(eigenvalues[i]);
                projections[i] = magnitude > 0 ? -projection / magnitude : 0.0;
            }

            for (var r = 0; r < n; r++)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += eigenvectors[(r * n) + i] * projections[i];
                }

                direction[r] = sum;
            }

            var stepSize = 2.0;
            var newF = double.PositiveInfinity;
            var accepted = false;
            while (true)
            {
                stepSize *= 0.5;
                if (stepSize < 1e-50)
                {
                    break;
                }

                for (var i = 0; i < n; i++)
                {
                    trial[i] = x[i] + (stepSize * direction[i]);
                }

                newF = function(trial, temp);
                if (double.IsFinite(newF) && newF <= f)
                {
                    accepted = true;
                    break;
                }
            }

            if (!accepted)
            {
                return new OptimizationResult(x, f, 0, iterations, "Newton");
            }

            Array.Copy(trial, x, n);
            var improvement = f - newF;
            f = newF;
            if (Math.Abs(improvement) <= 1e-8)
            {
                break;
            }
        }

        function(x, gradient);
        return new OptimizationResult(x, f, 0, iterations, "Newton");
    }

    /// <summary>grad_hess_log_prob's stencil (-2e, -e, +e, +2e with weights 1/12, -2/3, 2/3, -1/12), symmetrised.</summary>
    private static void FiniteDifferenceHessian(GradientFunction function, double[] x, double[] perturbed, double[] temp, double[] hessian)
    {
        const double epsilon = 1e-3;
        ReadOnlySpan<double> perturbations = [-2 * epsilon, -epsilon, epsilon, 2 * epsilon];
        ReadOnlySpan<double> coefficients = [1.0 / 12.0, -2.0 / 3.0, 2.0 / 3.0, -1.0 / 12.0];
        var n = x.Length;
        Array.Clear(hessian);
        Array.Copy(x, perturbed, n);
        for (var d = 0; d < n; d++)
        {
            for (var i = 0; i < 4; i++)
            {
                perturbed[d] = x[d] + perturbations[i];
                function(perturbed, temp);
                var weight = 0.5 * coefficients[i] / epsilon;
                for (var dd = 0; dd < n; dd++)
                {
                    hessian[(d * n) + dd] += weight * temp[dd];
                    hessian[(dd * n) + d] += weight * temp[dd];
                }
            }

            perturbed[d] = x[d];
        }
    }
}
