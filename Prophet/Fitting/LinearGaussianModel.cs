using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// prophet's objective for linear or flat growth with additive components only (prophet's default), where the mean
/// is linear in θ = [k, m, delta, beta]: mu = Z·θ with Z = [t, 1, A∘(t - t_change), X] (prophet.stan linear_trend /
/// flat_trend). The sum of squares then needs only the Gram matrix: ||y - Zθ||² = y'y - 2θ'Z'y + θ'Z'Zθ, so after
/// one O(T·p²) pass every evaluation costs O(p²) instead of O(T·K), and the exact Hessian is available.
/// </summary>
/// <remarks>
/// With w = 1/sigma_obs² the negative log posterior is f(θ, w) = (w/2)·ss(θ) + R(θ) - (n/2)·ln w + 2/w, where
/// R(θ) = ½θ'Pθ + λ·|delta|₁ holds the priors. For fixed w it is convex in θ (a penalised least squares); jointly it is
/// not, which is why alternating between θ and sigma_obs can stop at a local optimum. <see cref="Solve"/> therefore
/// minimises the profile g(w) = h(w) - (n/2)·ln w + 2/w with h(w) = min_θ (w/2)·ss(θ) + R(θ) globally
/// (<see cref="NoiseProfileSearch"/>): h is a minimum of functions affine in w, so it is concave, and between two
/// evaluated precisions it lies above its chord, which bounds g from below on every interval.
/// </remarks>
internal sealed class LinearGaussianModel
{
    private readonly int _s;
    private readonly int _k;
    private readonly int _p; // 2 + S + K
    private readonly int _n; // T
    private readonly double[] _gram; // Z'Z, p × p
    private readonly double[] _zy; // Z'y
    private readonly double _yy;
    private readonly double[] _prior; // diagonal Gaussian prior precision per θ entry
    private readonly double _lambda; // 1 / tau on delta entries
    private readonly double[] _hessian;
    private readonly double[] _rhs;
    private readonly double[] _residualCorrelation; // Z'(y - Zθ) = zy - Gθ
    private readonly L1QuadraticSolver _solver;

    public LinearGaussianModel(ProphetStanData data)
        : this(new ProphetObjective(data))
    {
    }

    /// <summary>The model of <paramref name="objective"/>'s data (linear or flat growth, additive components only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LinearGaussianModel(ProphetObjective objective)
    {
        var data = objective.Data;
        if (!IsApplicable(data))
        {
            throw new ArgumentException("LinearGaussianModel needs linear or flat growth and additive components only (s_m = 0).", nameof(objective));
        }

        _s = data.S;
        _k = data.K;
        _n = data.T;
        _p = 2 + _s + _k;
        _lambda = 1.0 / data.Tau;
        _prior = PriorPrecisions(data);
        _hessian = FitBuffers.Rent(_p * _p);
        _rhs = FitBuffers.Rent(_p);
        _residualCorrelation = FitBuffers.Rent(_p);
        _solver = new L1QuadraticSolver(_p);

        // Z = [t, 1, A∘(t - t_change), X] in segmented form (the trend rows of a segment share two vectors) and y.
        objective.PrepareLinearDesign(); // the design of a linear model does not depend on the point
        var stride = GramMatrix.Stride(_n);
        var columns = FitBuffers.Rent((_k + 1) * stride); // padding rows stay zero

        var design = new SegmentedDesign(_n, _s, _k);
        objective.FillDesign(design, columns, stride, includeBeta: true);
        data.Y.CopyTo(columns.AsSpan(_k * stride, _n));
        var full = FitBuffers.Rent((_p + 1) * (_p + 1));
        design.NormalEquations(columns, stride, full, keepFeatureBlock: false);
        var q = _p + 1;
        _gram = FitBuffers.Rent(_p * _p);
        _zy = FitBuffers.Rent(_p);
        for (var a = 0; a < _p; a++)
        {
            Array.Copy(full, a * q, _gram, a * _p, _p);
            _zy[a] = full[(a * q) + _p];
        }

        _yy = full[(_p * q) + _p];
    }

    /// <summary>
    /// The same problem for a mean linearised elsewhere: ss(θ) = yy - 2θ'zy + θ'Gθ with G = J'J, zy = J'y, yy = y'y of
    /// <paramref name="rows"/> rows (the Gauss–Newton sub-problem of <see cref="GaussNewtonSolver"/>).
    /// </summary>
    /// <remarks>
    /// With <paramref name="workspace"/>, the priors, Hessian, right-hand side and L1 solver of that model (of the same
    /// data) are reused instead of allocated: every evaluation rebuilds them, so models that are used one after the
    /// other (the Gauss–Newton iterations' sub-problems) can share them.
    /// </remarks>
    public LinearGaussianModel(ProphetStanData data, double[] gram, double[] zy, double yy, LinearGaussianModel? workspace = null)
    {
        _s = data.S;
        _k = data.K;
        _n = data.T;
        _p = 2 + _s + _k;
        _lambda = 1.0 / data.Tau;
        _gram = gram;
        _zy = zy;
        _yy = yy;
        _prior = workspace?._prior ?? PriorPrecisions(data);
        _hessian = workspace?._hessian ?? FitBuffers.Rent(_p * _p);
        _rhs = workspace?._rhs ?? FitBuffers.Rent(_p);
        _residualCorrelation = workspace?._residualCorrelation ?? FitBuffers.Rent(_p);
        _solver = workspace?._solver ?? new L1QuadraticSolver(_p);
    }

    /// <summary>Copies the upper triangle of a row-major m × m matrix into its lower triangle.</summary>
    public static void MirrorUpperTriangle(double[] matrix, int m)
    {
        for (var a = 0; a < m; a++)
        {
            for (var b = 0; b < a; b++)
            {
                matrix[(a * m) + b] = matrix[(b * m) + a];
            }
        }
    }

    /// <summary>Gaussian prior precisions of θ = [k, m, delta, beta] (prophet.stan: k, m ~ normal(0, 5); beta ~ normal(0, sigmas); delta has the Laplace prior instead).</summary>
    public static double[] PriorPrecisions(ProphetStanData data)
    {
        var prior = new double[2 + data.S + data.K];
        prior[0] = 1.0 / 25.0;
        prior[1] = 1.0 / 25.0;
        for (var j = 0; j < data.K; j++)
        {
            prior[2 + data.S + j] = 1.0 / (data.Sigmas[j] * data.Sigmas[j]);
        }

        return prior;
    }

    /// <summary>Number of observations (T).</summary>
    public int Rows => _n;

    /// <summary>Length of θ = [k, m, delta, beta].</summary>
    public int Dimension => _p;

    /// <summary>y'y of the scaled history.</summary>
    public double SumOfSquaredY => _yy;

    /// <summary>True when the mean is linear in the parameters: linear/flat growth and no multiplicative column.</summary>
    public static bool IsApplicable(ProphetStanData data)
    {
        if (data.TrendIndicator == 1)
        {
            return false;
        }

        foreach (var v in data.SM)
        {
            if (v != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The exact MAP (unconstrained layout [k, m, delta, log sigma, beta]), global over sigma_obs: the local optimum
    /// reached from <paramref name="start"/> is the incumbent of <see cref="NoiseProfileSearch"/>, which either proves
    /// that no precision does better or moves to the better basin. Deterministic; returns f = -L at the optimum.
    /// </summary>
    public OptimizationResult Solve(double[] start, CancellationToken cancellationToken = default)
    {
        var theta = FitBuffers.Rent(_p);
        theta[0] = start[0];
        theta[1] = start[1];
        Array.Copy(start, 2, theta, 2, _s);
        Array.Copy(start, 3 + _s, theta, 2 + _s, _k);
        // The local descent starts at sigma_obs's closed form for the start's θ (its residuals' variance) rather than
        // at the start's sigma_obs (prophet's 1, far from any mode of scaled data): fewer profile evaluations; the
        // search over sigma_obs is global either way.
        var search = new NoiseProfileSearch(this);
        var result = search.Run(theta, PrecisionGiven(SumOfSquares(theta)), cancellationToken);
        if (result.AtFloor && _n <= _p)
        {
            throw new NoPosteriorModeException(_n, _p);
        }

        var x = new double[3 + _s + _k];
        x[0] = result.Theta[0];
        x[1] = result.Theta[1];
        Array.Copy(result.Theta, 2, x, 2, _s);
        x[2 + _s] = -0.5 * Math.Log(result.Precision);
        Array.Copy(result.Theta, 2 + _s, x, 3 + _s, _k);
        return new OptimizationResult(x, result.Value, 0, result.Solves, "ExactL1Newton")
        {
            ProfileEvaluations = result.ProfileEvaluations,
            GlobalGap = result.Gap,
            UnboundedPosterior = result.Unbounded,
            AtSigmaFloor = result.AtFloor,
        };
    }

    /// <summary>
    /// The joint optimum of θ and the precision from (θ, w): the local one (alternating, cheap) or, with
    /// <paramref name="global"/>, the branch-and-bound search over the precision.
    /// </summary>
    public NoiseProfileSearch.Result SolveJoint(double[] theta, double w, bool global, CancellationToken cancellationToken,
        double relativeTolerance = NoiseProfileSearch.RelativeTolerance, double stopBelow = 0) =>
        new NoiseProfileSearch(this) { Tolerance = relativeTolerance, StopBelow = stopBelow }.Run(theta, w, cancellationToken, global);

    /// <summary>
    /// How far θ is from the minimiser at precision w, relative to the size of the gradient's terms: the largest KKT
    /// violation of (w/2)·ss(θ) + R(θ) (|g_a| on smooth and non-zero coordinates with the Laplace prior's slope, |g_a| - λ
    /// on zero deltas) over max(1, λ, max |w·Z'y|).
    /// </summary>
    public double RelativeKktResidual(double[] theta, double w)
    {
        var residual = 0.0;
        var scale = Math.Max(1.0, _lambda);
        for (var a = 0; a < _p; a++)
        {
            var g = (w * (VectorMath.Dot(_gram.AsSpan(a * _p, _p), theta) - _zy[a])) + (_prior[a] * theta[a]);
            scale = Math.Max(scale, Math.Abs(w * _zy[a]));
            var isDelta = a >= 2 && a < 2 + _s;
            var violation = !isDelta ? Math.Abs(g) : theta[a] != 0 ? Math.Abs(g + (_lambda * Math.Sign(theta[a]))) : Math.Abs(g) - _lambda;
            residual = Math.Max(residual, violation);
        }

        return residual / scale;
    }

    /// <summary>
    /// h(w) = min_θ (w/2)·ss(θ) + R(θ): solves the L1-penalised quadratic at precision <paramref name="w"/> from the
    /// warm start <paramref name="theta"/> (overwritten with the minimiser) and returns h with ss(θ) and dss/dw.
    /// dss/dw = -2 r_F' H_FF⁻¹ r_F with r = Z'(y - Zθ) on the free set F (differentiating H_FF θ_F = w·zy_F - λ·sign_F
    /// in w while the active set holds): h is concave because h' = ss/2 and this is never positive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double H, double SumOfSquares, double SumOfSquaresSlope, int Solves) Profile(double w, double[] theta)
    {
        if (w == 0)
        {
            Array.Clear(theta);
            return (0.0, _yy, 0.0, 0);
        }

        var sameMatrix = w == _unpenalisedAt;
        _unpenalisedAt = double.NaN;
        FillHessian(w);
        var solves = _solver.Solve(_hessian, _rhs, theta, 2, _s, _lambda, sameMatrix);
        var ss = SumOfSquares(theta);
        var slope = -2.0 * _solver.InverseQuadraticForm(_hessian, _residualCorrelation);
        return ((0.5 * w * ss) + Penalty(theta), ss, slope, solves);
    }

    /// <summary>
    /// The minimiser of (w/2)·ss(θ) + ½θ'Pθ without the Laplace prior (every coordinate free): a warm start for
    /// <see cref="Profile"/> at precisions so high that the L1 term leaves no delta at zero.
    /// </summary>
    public double[] UnpenalisedSolution(double w)
    {
        FillHessian(w);
        var theta = FitBuffers.Rent(_p);
        _solver.SolveUnpenalised(_hessian, _rhs, theta);
        _unpenalisedAt = w;
        return theta;
    }

    /// <summary>The precision of the last <see cref="UnpenalisedSolution"/> if no solve has run since (its factor is current).</summary>
    private double _unpenalisedAt = double.NaN;

    /// <summary>H = w·G + P (plus a tiny ridge) and c = w·Z'y of the L1-penalised quadratic at precision w.</summary>
    private void FillHessian(double w)
    {
        VectorMath.Scale(w, _gram, _hessian);
        VectorMath.Scale(w, _zy, _rhs);
        for (var a = 0; a < _p; a++)
        {
            // The tiny ridge only guards coincident changepoint columns (deltas have no Gaussian prior).
            var diagonal = (a * _p) + a;
            _hessian[diagonal] += _prior[a] + (1e-12 * (1 + _hessian[diagonal]));
        }
    }

    /// <summary>The precision that minimises f for a fixed θ with sum of squares <paramref name="ss"/>.</summary>
    public double PrecisionGiven(double ss) => 1.0 / ProphetObjective.SigmaSquaredGiven(ss, _n);

    /// <summary>f = -L (prophet.stan, constants dropped) at θ and precision w, from h-style parts.</summary>
    public double Value(double w, double ss, double[] theta) =>
        (0.5 * w * ss) + Penalty(theta) - (0.5 * _n * Math.Log(w)) + (2.0 / w);

    /// <summary>R(θ) = ½θ'Pθ + λ·|delta|₁: the priors of k, m, beta and delta.</summary>
    private double Penalty(double[] theta)
    {
        var value = 0.0;
        for (var a = 0; a < _p; a++)
        {
            value += 0.5 * _prior[a] * theta[a] * theta[a];
        }

        for (var j = 0; j < _s; j++)
        {
            value += _lambda * Math.Abs(theta[2 + j]);
        }

        return value;
    }

    private double SumOfSquares(double[] theta)
    {
        var ss = _yy;
        for (var a = 0; a < _p; a++)
        {
            var gt = VectorMath.Dot(_gram.AsSpan(a * _p, _p), theta);
            _residualCorrelation[a] = _zy[a] - gt;
            ss += (theta[a] * gt) - (2.0 * _zy[a] * theta[a]);
        }

        return Math.Max(ss, 0.0);
    }
}
