using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// prophet's objective for linear or flat growth with additive components only (prophet's default), where the mean
/// is linear in θ = [k, m, delta, beta]: mu = Z·θ with Z = [t, 1, A∘(t - t_change), X] (prophet.stan linear_trend /
/// flat_trend). The sum of squares then needs only the Gram matrix: ||y - Zθ||² = y'y - 2θ'Z'y + θ'Z'Zθ, so after
/// one O(T·p²) pass every evaluation costs O(p²) instead of O(T·K), and the exact Hessian is available.
/// <see cref="Solve"/> finds the exact MAP by alternating the closed-form sigma_obs update with an exact
/// orthant-wise Newton (active-set) solve of the L1-penalised quadratic in θ.
/// </summary>
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
    private readonly double[] _gTheta;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LinearGaussianModel(ProphetStanData data)
    {
        if (!IsApplicable(data))
        {
            throw new ArgumentException("LinearGaussianModel needs linear or flat growth and additive components only (s_m = 0).", nameof(data));
        }

        _s = data.S;
        _k = data.K;
        _n = data.T;
        _p = 2 + _s + _k;
        _lambda = 1.0 / data.Tau;
        _gram = new double[_p * _p];
        _zy = new double[_p];
        _gTheta = new double[_p];
        _prior = new double[_p];
        _prior[0] = 1.0 / 25.0; // k ~ normal(0, 5)
        _prior[1] = 1.0 / 25.0; // m ~ normal(0, 5)
        for (var j = 0; j < _k; j++)
        {
            _prior[2 + _s + j] = 1.0 / (data.Sigmas[j] * data.Sigmas[j]); // beta ~ normal(0, sigmas)
        }

        // Z row by row (flat growth: the k and delta columns are zero), accumulated into the upper triangle.
        var linear = data.TrendIndicator == 0;
        var row = new double[_p];
        var t = data.TimeScaled;
        var yy = 0.0;
        for (var i = 0; i < _n; i++)
        {
            row[0] = linear ? t[i] : 0.0;
            row[1] = 1.0;
            for (var j = 0; j < _s; j++)
            {
                row[2 + j] = linear && t[i] >= data.TChange[j] ? t[i] - data.TChange[j] : 0.0;
            }

            Array.Copy(data.X, i * _k, row, 2 + _s, _k);
            var y = data.Y[i];
            yy += y * y;
            for (var a = 0; a < _p; a++)
            {
                var ra = row[a];
                if (ra == 0)
                {
                    continue;
                }

                _zy[a] += ra * y;
                VectorMath.Axpy(ra, row.AsSpan(a), _gram.AsSpan((a * _p) + a, _p - a));
            }
        }

        for (var a = 0; a < _p; a++)
        {
            for (var b = 0; b < a; b++)
            {
                _gram[(a * _p) + b] = _gram[(b * _p) + a];
            }
        }

        _yy = yy;
    }

    /// <summary>True when the mean is linear in the parameters: linear/flat growth and no multiplicative column.</summary>
    public static bool IsApplicable(ProphetStanData data) => data.TrendIndicator != 1 && data.SM.All(v => v == 0);

    /// <summary>
    /// The exact MAP from <paramref name="start"/> (unconstrained layout [k, m, delta, log sigma, beta]).
    /// Deterministic; returns f = -L at the optimum.
    /// </summary>
    public OptimizationResult Solve(double[] start, CancellationToken cancellationToken = default)
    {
        var theta = new double[_p];
        theta[0] = start[0];
        theta[1] = start[1];
        Array.Copy(start, 2, theta, 2, _s);
        Array.Copy(start, 3 + _s, theta, 2 + _s, _k);
        var sigma2 = ProphetObjective.SigmaSquaredGiven(SumOfSquares(theta), _n);
        var hessian = new double[_p * _p];
        var rhs = new double[_p];
        var previous = double.PositiveInfinity;
        var iterations = 0;
        for (var outer = 0; outer < 200; outer++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var a = 0; a < _p; a++)
            {
                for (var b = 0; b < _p; b++)
                {
                    hessian[(a * _p) + b] = _gram[(a * _p) + b] / sigma2;
                }

                // The tiny ridge only guards coincident changepoint columns (deltas have no Gaussian prior).
                hessian[(a * _p) + a] += _prior[a] + (1e-12 * (1 + hessian[(a * _p) + a]));
                rhs[a] = _zy[a] / sigma2;
            }

            iterations += L1QuadraticSolver.Solve(hessian, rhs, theta, 2, _s, _lambda);
            sigma2 = ProphetObjective.SigmaSquaredGiven(SumOfSquares(theta), _n);
            var value = Value(theta, sigma2);
            if (previous - value <= 1e-15 * Math.Max(1.0, Math.Abs(value)))
            {
                break;
            }

            previous = value;
        }

        var x = new double[3 + _s + _k];
        x[0] = theta[0];
        x[1] = theta[1];
        Array.Copy(theta, 2, x, 2, _s);
        x[2 + _s] = 0.5 * Math.Log(sigma2);
        Array.Copy(theta, 2 + _s, x, 3 + _s, _k);
        return new OptimizationResult(x, Value(theta, sigma2), 0, iterations, "ExactL1Newton");
    }

    private double SumOfSquares(double[] theta)
    {
        var ss = _yy;
        for (var a = 0; a < _p; a++)
        {
            var gt = VectorMath.Dot(_gram.AsSpan(a * _p, _p), theta);

            _gTheta[a] = gt;
            ss += (theta[a] * gt) - (2.0 * _zy[a] * theta[a]);
        }

        return Math.Max(ss, 0.0);
    }

    /// <summary>f = -L (prophet.stan, constants dropped) at θ and sigma².</summary>
    private double Value(double[] theta, double sigma2)
    {
        var ss = SumOfSquares(theta);
        var value = (2.0 * sigma2) + (0.5 * _n * Math.Log(sigma2)) + (ss / (2.0 * sigma2));
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
}
