using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// MAP for the models whose mean is not linear in the parameters (logistic growth, multiplicative components): a
/// proximal Gauss–Newton method. Each iteration linearises the mean around θ = [k, m, delta, beta]
/// (analytic Jacobian), solves the resulting
/// L1-penalised quadratic exactly (<see cref="L1QuadraticSolver"/>, the Laplace prior on delta), backtracks on the
/// true log posterior, then sets sigma_obs to its exact conditional optimum. Every accepted step raises the log
/// posterior of prophet.stan, so the result is at least as good as the start point.
/// </summary>
internal sealed class GaussNewtonSolver(ProphetObjective objective)
{
    public int MaxIterations { get; init; } = 500;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public OptimizationResult Solve(double[] x0, CancellationToken cancellationToken = default)
    {
        var data = objective.Data;
        int n = data.T, s = data.S, k = data.K;
        var p = 2 + s + k;
        var dim = objective.Dimension;
        var lambda = 1.0 / data.Tau;
        var x = (double[])x0.Clone();
        var gradient = new double[dim];
        var trend = new double[n];
        var multiplier = new double[n];
        var jacobian = new double[n * p];
        var hessian = new double[p * p];
        var c = new double[p];
        var theta = new double[p];
        var target = new double[p];
        var trial = new double[dim];
        var scratch = new double[dim];
        var prior = new double[p];
        prior[0] = prior[1] = 1.0 / 25.0;
        for (var j = 0; j < k; j++)
        {
            prior[2 + s + j] = 1.0 / (data.Sigmas[j] * data.Sigmas[j]);
        }

        // Start from the conditional optimum of sigma_obs.
        objective.Evaluate(x, gradient);
        x[2 + s] = LogSigmaGiven(objective.LastSquaredError, n);
        var f = objective.Evaluate(x, gradient);
        var quiet = 0;
        var iterations = 0;
        for (var iteration = 1; iteration <= MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iterations = iteration;
            objective.LastTrend.CopyTo(trend);
            objective.LastMultiplier.CopyTo(multiplier);
            var sigma2 = Math.Exp(2 * x[2 + s]);

            // Jacobian of the mean: d trend (analytic, at x: the last Evaluate was at x) times 1 + X·(beta ∘ s_m),
            // and X_ij (s_a_j + s_m_j trend_i) for beta.
            objective.TrendJacobian(jacobian, p);
            for (var i = 0; i < n; i++)
            {
                var row = jacobian.AsSpan(i * p, p);
                var scale = multiplier[i];
                if (scale != 1.0)
                {
                    for (var a = 0; a < 2 + s; a++)
                    {
                        row[a] *= scale;
                    }
                }

                for (var j = 0; j < k; j++)
                {
                    row[2 + s + j] = data.X[(i * k) + j] * (data.SA[j] + (data.SM[j] * trend[i]));
                }
            }

            // H = J'J / sigma² + prior precision (upper triangle, then mirrored).
            Array.Clear(hessian);
            for (var i = 0; i < n; i++)
            {
                var row = jacobian.AsSpan(i * p, p);
                for (var a = 0; a < p; a++)
                {
                    var ra = row[a];
                    if (ra == 0)
                    {
                        continue;
                    }

                    VectorMath.Axpy(ra, row[a..], hessian.AsSpan((a * p) + a, p - a));
                }
            }

            for (var a = 0; a < p; a++)
            {
                for (var b = a; b < p; b++)
                {
                    var value = hessian[(a * p) + b] / sigma2;
                    hessian[(a * p) + b] = value;
                    hessian[(b * p) + a] = value;
                }

                hessian[(a * p) + a] += prior[a] + (1e-12 * (1 + hessian[(a * p) + a]));
            }

            // Smooth gradient in θ (the objective's gradient without the |delta| term), c = Hθ - g.
            ToTheta(x, theta, s, k);
            for (var a = 0; a < p; a++)
            {
                var g = gradient[ToX(a, s)];
                if (a >= 2 && a < 2 + s)
                {
                    g -= Math.Sign(theta[a]) * lambda;
                }

                var ht = 0.0;
                for (var b = 0; b < p; b++)
                {
                    ht += hessian[(a * p) + b] * theta[b];
                }

                c[a] = ht - g;
            }

            Array.Copy(theta, target, p);
            L1QuadraticSolver.Solve(hessian, c, target, 2, s, lambda);

            // Backtrack on the true log posterior, then re-optimise sigma_obs.
            var accepted = false;
            double fTrial = f;
            for (var alpha = 1.0; alpha > 1e-10; alpha *= 0.5)
            {
                Array.Copy(x, trial, dim);
                for (var a = 0; a < p; a++)
                {
                    trial[ToX(a, s)] = theta[a] + (alpha * (target[a] - theta[a]));
                }

                fTrial = objective.Evaluate(trial, scratch);
                if (double.IsFinite(fTrial) && fTrial < f)
                {
                    accepted = true;
                    break;
                }
            }

            if (!accepted)
            {
                break;
            }

            trial[2 + s] = LogSigmaGiven(objective.LastSquaredError, n);
            var fNew = objective.Evaluate(trial, gradient);
            var gain = f - fNew;
            Array.Copy(trial, x, dim);
            f = fNew;
            if (gain <= 1e-13 * Math.Max(1.0, Math.Abs(f)))
            {
                if (++quiet >= 2)
                {
                    break;
                }
            }
            else
            {
                quiet = 0;
            }
        }

        f = objective.Evaluate(x, gradient);
        return new OptimizationResult(x, f, 0, iterations, "GaussNewtonL1");
    }

    private static double LogSigmaGiven(double ss, int n) => 0.5 * Math.Log(ProphetObjective.SigmaSquaredGiven(ss, n));

    private static int ToX(int a, int s) => a < 2 + s ? a : a + 1;

    private static void ToTheta(double[] x, double[] theta, int s, int k)
    {
        Array.Copy(x, 0, theta, 0, 2 + s);
        Array.Copy(x, 3 + s, theta, 2 + s, k);
    }
}
