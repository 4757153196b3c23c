using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// MAP for the models whose mean is not linear in the parameters (logistic growth, multiplicative components): a
/// proximal Gauss–Newton method. Each iteration linearises the mean around θ = [k, m, delta, beta] (analytic
/// Jacobian), which turns the problem into the linear one of <see cref="LinearGaussianModel"/>; its joint optimum in θ
/// and sigma_obs (the exact L1 solver for θ alternating with sigma_obs's closed form) is the step's target, and the
/// step backtracks on the true log posterior with sigma_obs at its exact conditional optimum. Every accepted step
/// raises the log posterior of prophet.stan, so the result is at least as good as the start point. Solving sigma_obs
/// inside the sub-problem matters: alternating one θ step with one sigma_obs update crawls (hundreds of iterations)
/// wherever the two are strongly coupled.
/// </summary>
internal sealed class GaussNewtonSolver(ProphetObjective objective)
{
    public int MaxIterations { get; init; } = 500;

    /// <summary>
    /// When set, the last linearisation is also searched globally over sigma_obs (<see cref="NoiseProfileSearch"/>),
    /// and a better basin it finds is descended into and kept if the true log posterior agrees.
    /// </summary>
    public bool SearchNoiseProfile { get; init; } = true;

    /// <summary>Gauss–Newton iterations of the last <see cref="Solve"/> (both descents when the profile search moved).</summary>
    private int _iterations;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public OptimizationResult Solve(double[] x0, CancellationToken cancellationToken = default)
    {
        _iterations = 0;
        var (x, f, linearised) = Descend(x0, cancellationToken);
        var evaluations = 0;
        if (SearchNoiseProfile && linearised is not null)
        {
            // The linearisation at the optimum is exact to first order; if its profile over sigma_obs has a better
            // basin, descend from there and keep whichever the true log posterior prefers.
            var data = objective.Data;
            var theta = ToTheta(x, data.S, data.K);
            var search = linearised.SolveJoint(theta, Math.Exp(-2 * x[2 + data.S]), global: true, cancellationToken);
            evaluations = search.ProfileEvaluations;
            var start = FromTheta(search.Theta, search.Precision, data.S, data.K);
            if (Math.Abs(Math.Log(search.Precision) + (2 * x[2 + data.S])) > 0.01)
            {
                var (other, otherValue, _) = Descend(start, cancellationToken);
                if (otherValue < f)
                {
                    (x, f) = (other, otherValue);
                }
            }
        }

        f = objective.Evaluate(x, new double[x.Length]);
        var atFloor = Math.Exp(2 * x[2 + objective.Data.S]) <= FloorVariance * (1 + 1e-9);
        var parameters = 2 + objective.Data.S + objective.Data.K;
        if (atFloor && objective.Data.T <= parameters)
        {
            throw new NoPosteriorModeException(objective.Data.T, parameters);
        }

        return new OptimizationResult(x, f, 0, _iterations, "GaussNewtonL1")
        {
            ProfileEvaluations = evaluations,
            UnboundedPosterior = atFloor,
            AtSigmaFloor = atFloor,
        };
    }

    /// <summary>Gauss–Newton descent to a local optimum; returns it with f and the last linearised problem.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double[] X, double F, LinearGaussianModel? Linearised) Descend(double[] x0, CancellationToken cancellationToken)
    {
        var data = objective.Data;
        int n = data.T, s = data.S, k = data.K;
        var p = 2 + s + k;
        var dim = objective.Dimension;
        var x = (double[])x0.Clone();
        var gradient = new double[dim];
        var jacobian = new double[n * p];
        var mean = new double[n];
        var trial = new double[dim];
        var scratch = new double[dim];
        LinearGaussianModel? linearised = null;

        // Start from the conditional optimum of sigma_obs.
        objective.Evaluate(x, gradient);
        x[2 + s] = LogSigmaGiven(objective.LastSquaredError, n);
        var f = objective.Evaluate(x, gradient);
        var quiet = 0;
        for (var iteration = 1; iteration <= MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _iterations++;

            // Linearise at x (the last Evaluate was at x): mu(θ') ≈ mu(θ) + J (θ' - θ), so the sub-problem is the linear
            // model with design J and response y - mu(θ) + Jθ.
            objective.MeanJacobian(jacobian);
            Mean(data, x, mean);
            var theta = ToTheta(x, s, k);
            var gram = new double[p * p];
            var zy = new double[p];
            var yy = 0.0;
            for (var i = 0; i < n; i++)
            {
                var row = jacobian.AsSpan(i * p, p);
                var response = data.Y[i] - mean[i] + VectorMath.Dot(row, theta);
                yy += response * response;
                for (var a = 0; a < p; a++)
                {
                    var ra = row[a];
                    if (ra == 0)
                    {
                        continue;
                    }

                    zy[a] += ra * response;
                    VectorMath.Axpy(ra, row[a..], gram.AsSpan((a * p) + a, p - a));
                }
            }

            LinearGaussianModel.MirrorUpperTriangle(gram, p);
            linearised = new LinearGaussianModel(data, gram, zy, yy);
            var target = linearised.SolveJoint((double[])theta.Clone(), Math.Exp(-2 * x[2 + s]), global: false, cancellationToken);

            // Backtrack on the true log posterior (at the target's sigma_obs), then re-optimise sigma_obs.
            var accepted = false;
            for (var alpha = 1.0; alpha > 1e-10; alpha *= 0.5)
            {
                Array.Copy(x, trial, dim);
                for (var a = 0; a < p; a++)
                {
                    trial[ToX(a, s)] = theta[a] + (alpha * (target.Theta[a] - theta[a]));
                }

                trial[2 + s] = -0.5 * Math.Log(target.Precision);
                objective.Evaluate(trial, scratch);
                trial[2 + s] = LogSigmaGiven(objective.LastSquaredError, n);
                var fTrial = objective.Evaluate(trial, scratch);
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

        objective.Evaluate(x, gradient);
        return (x, f, linearised);
    }

    /// <summary>mu at x from the last Evaluate's trend and multiplier: trend·(1 + X·(beta∘s_m)) + X·(beta∘s_a).</summary>
    private void Mean(ProphetStanData data, double[] x, double[] mean)
    {
        int s = data.S, k = data.K;
        for (var i = 0; i < data.T; i++)
        {
            var additive = 0.0;
            for (var j = 0; j < k; j++)
            {
                additive += data.X[(i * k) + j] * x[3 + s + j] * data.SA[j];
            }

            mean[i] = (objective.LastTrend[i] * objective.LastMultiplier[i]) + additive;
        }
    }

    private double LogSigmaGiven(double ss, int n) => 0.5 * Math.Log(Math.Max(ProphetObjective.SigmaSquaredGiven(ss, n), FloorVariance));

    /// <summary>sigma_obs² is kept at or above <see cref="NoiseProfileSearch.VarianceFloor"/> · mean(y²), as in the linear case.</summary>
    private double FloorVariance => NoiseProfileSearch.VarianceFloor * objective.Data.Y.Sum(v => v * v) / objective.Data.T;

    private static int ToX(int a, int s) => a < 2 + s ? a : a + 1;

    private static double[] ToTheta(double[] x, int s, int k)
    {
        var theta = new double[2 + s + k];
        Array.Copy(x, 0, theta, 0, 2 + s);
        Array.Copy(x, 3 + s, theta, 2 + s, k);
        return theta;
    }

    private static double[] FromTheta(double[] theta, double precision, int s, int k)
    {
        var x = new double[3 + s + k];
        Array.Copy(theta, 0, x, 0, 2 + s);
        x[2 + s] = -0.5 * Math.Log(precision);
        Array.Copy(theta, 2 + s, x, 3 + s, k);
        return x;
    }
}
