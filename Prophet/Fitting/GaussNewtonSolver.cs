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
/// wherever the two are strongly coupled. Where the multiplicative columns span a near-constant, each step is followed
/// by a search along the trend-scale curve (<see cref="MultiplicativeScaleSearch"/>), the posterior's curved ridge that
/// the linearisation sees only as its tangent (without it: 98 iterations instead of 10 on a quarterly multiplicative
/// seasonality of monthly data).
/// </summary>
internal sealed class GaussNewtonSolver(ProphetObjective objective)
{

    public int MaxIterations { get; init; } = 500;

    /// <summary>
    /// The sub-problems' descent in ln sigma_obs stops once its step would change their value by less than this share
    /// (their rounding), and while the iterate's relative KKT residual r is larger, by less than r² (at most 1e-5): an
    /// inexact Newton method's forcing term — a far linearisation's sigma_obs only steers the step, each step sets
    /// sigma_obs to its exact conditional optimum, and the KKT test of the linearisation decides convergence.
    /// Linear and flat growth only (see <see cref="NoiseProfileSearch.StopBelow"/>).
    /// </summary>
    private const double RoundingOfG = 1e-13;

    /// <summary>
    /// When set, the last linearisation is also searched globally over sigma_obs (<see cref="NoiseProfileSearch"/>),
    /// and a better basin it finds is descended into and kept if the true log posterior agrees.
    /// </summary>
    public bool SearchNoiseProfile { get; init; } = true;

    /// <summary>Local optima whose linearisation was already searched over sigma_obs (by an earlier start's Solve).</summary>
    private readonly List<(double[] X, double F)> _searched = [];

    private double[]? _columns;
    private MultiplicativeScaleSearch? _scaleSearch;
    private bool _scaleSearchReady;
    private double[]? _full;
    private bool _featureBlockReady;

    /// <summary>Gauss–Newton iterations of the last <see cref="Solve"/> (both descents when the profile search moved).</summary>
    private int _iterations;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public OptimizationResult Solve(double[] x0, CancellationToken cancellationToken = default)
    {
        _iterations = 0;
        var (x, f, linearised) = Descend(x0, cancellationToken);
        var evaluations = 0;
        if (SearchNoiseProfile && linearised is not null && !Searched(x, f))
        {
            _searched.Add(((double[])x.Clone(), f));
            // The linearisation at the optimum is exact to first order; if its profile over sigma_obs has a better
            // basin, descend from there and keep whichever the true log posterior prefers.
            var data = objective.Data;
            var theta = ToTheta(x, data.S, data.K);
            var search = linearised.SolveJoint(theta, Math.Exp(-2 * x[2 + data.S]), global: true, cancellationToken, relativeTolerance: 1e-7, stopBelow: data.TrendIndicator != 1 ? RoundingOfG : 0);
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

        f = objective.Evaluate(x, FitBuffers.Rent(x.Length));
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
        var stride = GramMatrix.Stride(n);
        // [B, y - mu + Jθ] by columns, and the normal equations: kept across descents, so that with constant beta
        // columns (no multiplicative component) their Gram block is computed once per solver, not once per descent.
        var columns = _columns ??= FitBuffers.Rent((k + 1) * stride); // padding rows stay zero

        var design = new SegmentedDesign(n, s, k);
        var full = _full ??= FitBuffers.Rent((p + 1) * (p + 1));
        // Without multiplicative components the beta columns are X·s_a: written once, and their Gram block kept.
        var constantBeta = !objective.HasMultiplicative;
        var trial = FitBuffers.Rent(dim);
        LinearGaussianModel? linearised = null;

        // Start from the conditional optimum of sigma_obs.
        objective.Value(x);
        x[2 + s] = LogSigmaGiven(objective.LastSquaredError, n);
        var f = objective.Value(x);
        var quiet = 0;
        var previousKkt = double.PositiveInfinity;
        for (var iteration = 1; iteration <= MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _iterations++;

            // Linearise at x (the last Evaluate was at x): mu(θ') ≈ mu(θ) + J (θ' - θ), so the sub-problem is the linear
            // model with design J and response y - mu(θ) + Jθ.
            var featureBlockKept = constantBeta && _featureBlockReady;
            objective.FillDesign(design, columns, stride, includeBeta: !featureBlockKept);
            var theta = ToTheta(x, s, k);
            var response = columns.AsSpan(k * stride, n);
            objective.LastMean.CopyTo(response);
            for (var i = 0; i < n; i++)
            {
                response[i] = data.Y[i] - response[i];
            }

            design.AddTrendProduct(theta.AsSpan(0, 2 + s), response);
            for (var j = 0; j < k; j++)
            {
                VectorMath.Axpy(theta[2 + s + j], columns.AsSpan(j * stride, n), response);
            }

            design.NormalEquations(columns, stride, full, keepFeatureBlock: featureBlockKept);
            _featureBlockReady = true;
            var (gram, zy, yy) = Split(full, p);
            linearised = new LinearGaussianModel(data, gram, zy, yy, workspace: linearised);
            var precision = Math.Exp(-2 * x[2 + s]);
            var kkt = linearised.RelativeKktResidual(theta, precision);
            if (kkt <= 1e-9)
            {
                break; // θ is the linearisation's minimiser at the optimal sigma_obs: the first-order conditions hold
            }

            if (!_scaleSearchReady && kkt > 0.1 * previousKkt)
            {
                // The trend-scale curve is searched once the descent is slow (its KKT residual fell less than tenfold
                // in an iteration): where Gauss–Newton converges fast it is not needed, and finding out whether X_m spans
                // a near-constant costs a Gram matrix of X_m. It depends on the data only: once per solver.
                _scaleSearch = MultiplicativeScaleSearch.TryCreate(objective);
                _scaleSearchReady = true;
            }

            previousKkt = kkt;

            var warmStart = FitBuffers.Rent(theta.Length);
            theta.CopyTo(warmStart, 0);
            var target = linearised.SolveJoint(warmStart, precision, global: false, cancellationToken, stopBelow: data.TrendIndicator != 1 ? Math.Clamp(kkt * kkt, RoundingOfG, 1e-5) : 0);

            // Backtrack on the true log posterior with sigma_obs at its conditional optimum for each trial θ: one
            // evaluation at the target's sigma_obs gives the sum of squares, and f moves to the optimal sigma_obs in
            // closed form. The objective then holds the accepted point's trend for the next linearisation.
            var accepted = false;
            var fNew = f;
            for (var alpha = 1.0; alpha > 1e-10; alpha *= 0.5)
            {
                Array.Copy(x, trial, dim);
                for (var a = 0; a < p; a++)
                {
                    trial[ToX(a, s)] = theta[a] + (alpha * (target.Theta[a] - theta[a]));
                }

                var uTrial = -0.5 * Math.Log(target.Precision);
                trial[2 + s] = uTrial;
                var fTrial = objective.Value(trial);
                var ss = objective.LastSquaredError;
                var uBest = LogSigmaGiven(ss, n);
                fTrial += NoiseTerms(uBest, ss, n) - NoiseTerms(uTrial, ss, n);
                trial[2 + s] = uBest;
                if (double.IsFinite(fTrial) && fTrial < f)
                {
                    accepted = true;
                    fNew = fTrial;
                    break;
                }
            }

            if (!accepted)
            {
                break;
            }

            Array.Copy(trial, x, dim);
            if (_scaleSearch is { } scale)
            {
                // Then along the trend-scale curve, which the linearisation sees only as its tangent.
                fNew = scale.Improve(x, fNew, AtConditionalSigma);
            }

            var gain = f - fNew;
            f = fNew;
            // Two steps that gain less than 1e-13·|f| end the descent. Logistic growth's (k, m) valley can be so flat that
            // Gauss–Newton still zig-zags down it (the residual falling ~0.6-fold an iteration) with gains of 1e-14·|f|
            // and a KKT residual several times its tolerance (m4_weekly W207): there the descent stops on 1e-15·|f|,
            // a few ulps of f, until the linearisation's KKT test holds (it does not here: the loop ends above when it does).
            var quietGain = data.TrendIndicator == 1 ? 1e-15 : 1e-13;
            if (gain <= quietGain * Math.Max(1.0, Math.Abs(f)))
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

        objective.Value(x);
        return (x, f, linearised);
    }

    /// <summary>f at <paramref name="point"/> with sigma_obs moved to its conditional optimum for the point's θ (written back).</summary>
    private double AtConditionalSigma(double[] point)
    {
        var data = objective.Data;
        var u = point[2 + data.S];
        var value = objective.Value(point);
        var ss = objective.LastSquaredError;
        var best = LogSigmaGiven(ss, data.T);
        point[2 + data.S] = best;
        return value + NoiseTerms(best, ss, data.T) - NoiseTerms(u, ss, data.T);
    }

    /// <summary>
    /// Whether a descent from another start ended at (x, f) already: the same local optimum to 1e-9 in f and 1e-5 in
    /// every coordinate, whose linearisation — the same to first order — was searched over sigma_obs then.
    /// </summary>
    private bool Searched(double[] x, double f)
    {
        foreach (var (y, g) in _searched)
        {
            var same = Math.Abs(f - g) <= 1e-9 * Math.Max(1.0, Math.Abs(g));
            for (var i = 0; same && i < x.Length; i++)
            {
                same = Math.Abs(x[i] - y[i]) <= 1e-5 * (1 + Math.Abs(y[i]));
            }

            if (same)
            {
                return true;
            }
        }

        return false;
    }

    private double[]? _gram;
    private double[]? _zy;

    /// <summary>
    /// G (p × p), Z'r and r'r from the (p + 1)² normal equations of [Z, r], into buffers kept across iterations (a
    /// sub-problem is used only until the next linearisation; the last one, by the sigma_obs search, after the last).
    /// </summary>
    private (double[] Gram, double[] Zy, double Yy) Split(double[] full, int p)
    {
        var q = p + 1;
        var gram = _gram ??= FitBuffers.Rent(p * p);
        var zy = _zy ??= FitBuffers.Rent(p);
        for (var a = 0; a < p; a++)
        {
            Array.Copy(full, a * q, gram, a * p, p);
            zy[a] = full[(a * q) + p];
        }

        return (gram, zy, full[(p * q) + p]);
    }

    /// <summary>The terms of f that depend on u = log sigma_obs: 2 sigma² (its normal(0, 0.5) prior) + n u + ss / (2 sigma²).</summary>
    private static double NoiseTerms(double u, double ss, int n)
    {
        var sigma2 = Math.Exp(2 * u);
        return (2 * sigma2) + (n * u) + (ss / (2 * sigma2));
    }

    private double LogSigmaGiven(double ss, int n) => 0.5 * Math.Log(Math.Max(ProphetObjective.SigmaSquaredGiven(ss, n), FloorVariance));

    /// <summary>sigma_obs² is kept at or above <see cref="NoiseProfileSearch.VarianceFloor"/> · mean(y²), as in the linear case.</summary>
    private double FloorVariance => _floorVariance ??= NoiseProfileSearch.VarianceFloor * VectorMath.Dot(objective.Data.Y, objective.Data.Y) / objective.Data.T;

    private double? _floorVariance;

    private static int ToX(int a, int s) => a < 2 + s ? a : a + 1;

    /// <summary>θ = [k, m, delta, beta] of x, in the fit's scratch memory (it lives for one iteration or search).</summary>
    private static double[] ToTheta(double[] x, int s, int k)
    {
        var theta = FitBuffers.Rent(2 + s + k);
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
