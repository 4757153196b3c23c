namespace Forecast.Prophet;

/// <summary>
/// prophet's objective for linear or flat growth with additive components only (prophet's default), where the mean
/// is linear in θ = [k, m, delta, beta]: mu = Z·θ with Z = [t, 1, A∘(t - t_change), X] (prophet.stan linear_trend /
/// flat_trend). The sum of squares then needs only the Gram matrix: ||y - Zθ||² = y'y - 2θ'Z'y + θ'Z'Zθ, so after
/// one O(T·p²) pass every evaluation costs O(p²) instead of O(T·K), and the exact Hessian is available.
/// <see cref="Solve"/> finds the exact MAP by alternating the closed-form sigma_obs update with an exact
/// orthant-wise Newton (active-set) solve of the L1-penalised quadratic in θ.
/// </summary>
public sealed class LinearGaussianModel
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
                var offset = a * _p;
                for (var b = a; b < _p; b++)
                {
                    _gram[offset + b] += ra * row[b];
                }
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
        var sigma2 = SigmaSquaredGiven(SumOfSquares(theta));
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

                hessian[(a * _p) + a] += _prior[a];
                rhs[a] = _zy[a] / sigma2;
            }

            iterations += SolveL1Quadratic(hessian, rhs, theta);
            sigma2 = SigmaSquaredGiven(SumOfSquares(theta));
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

    /// <summary>
    /// argmax over sigma of -T log sigma - ss/(2 sigma²) - 2 sigma² (likelihood + normal(0, 0.5) prior):
    /// 4 sigma⁴ + T sigma² - ss = 0.
    /// </summary>
    private double SigmaSquaredGiven(double ss)
    {
        var root = (-_n + Math.Sqrt(((double)_n * _n) + (16.0 * ss))) / 8.0;
        // For ss tiny relative to T² the subtraction cancels; use the equivalent stable form.
        var stable = 2.0 * ss / (_n + Math.Sqrt(((double)_n * _n) + (16.0 * ss)));
        return double.IsFinite(stable) && stable > 0 ? stable : Math.Max(root, 1e-300);
    }

    private double SumOfSquares(double[] theta)
    {
        var ss = _yy;
        for (var a = 0; a < _p; a++)
        {
            var gt = 0.0;
            var offset = a * _p;
            for (var b = 0; b < _p; b++)
            {
                gt += _gram[offset + b] * theta[b];
            }

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

    /// <summary>
    /// Minimises q(θ) = ½θ'Hθ - c'θ + λ Σ_delta |θ_j| exactly by an active-set orthant-wise Newton method
    /// (feature-sign search, Lee et al. 2007): solve on the free set with the orthant's signs, then move to the
    /// best point on the segment, stopping at sign changes. Returns the number of linear solves.
    /// </summary>
    private int SolveL1Quadratic(double[] h, double[] c, double[] theta)
    {
        var p = _p;
        var gradient = new double[p];
        var free = new List<int>(p);
        var sign = new double[p];
        var target = new double[p];
        for (var iteration = 1; iteration <= 100; iteration++)
        {
            // gradient of the smooth part: Hθ - c
            for (var a = 0; a < p; a++)
            {
                var sum = -c[a];
                for (var b = 0; b < p; b++)
                {
                    sum += h[(a * p) + b] * theta[b];
                }

                gradient[a] = sum;
            }

            // Feature-sign search: first make the non-zero coordinates optimal; only then activate the one zero
            // delta whose optimality condition |g| <= lambda is violated most.
            free.Clear();
            var freeViolation = 0.0;
            var worstZero = -1;
            var worstZeroViolation = 0.0;
            for (var a = 0; a < p; a++)
            {
                var isDelta = a >= 2 && a < 2 + _s;
                if (!isDelta)
                {
                    free.Add(a);
                    sign[a] = 0;
                    freeViolation = Math.Max(freeViolation, Math.Abs(gradient[a]));
                }
                else if (theta[a] != 0)
                {
                    free.Add(a);
                    sign[a] = Math.Sign(theta[a]);
                    freeViolation = Math.Max(freeViolation, Math.Abs(gradient[a] + (_lambda * sign[a])));
                }
                else if (Math.Abs(gradient[a]) - _lambda > worstZeroViolation)
                {
                    worstZeroViolation = Math.Abs(gradient[a]) - _lambda;
                    worstZero = a;
                }
            }

            var scale = 1.0;
            foreach (var value in c)
            {
                scale = Math.Max(scale, Math.Abs(value));
            }

            var tolerance = 1e-12 * scale;
            if (freeViolation <= tolerance)
            {
                if (worstZero < 0 || worstZeroViolation <= tolerance)
                {
                    return iteration;
                }

                free.Add(worstZero);
                sign[worstZero] = -Math.Sign(gradient[worstZero]);
            }

            // Newton target on the free set: H_FF z = c_F - λ sign_F, zero elsewhere.
            var m = free.Count;
            var system = new double[m * m];
            var right = new double[m];
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < m; j++)
                {
                    system[(i * m) + j] = h[(free[i] * p) + free[j]];
                }

                right[i] = c[free[i]] - (_lambda * sign[free[i]]);
            }

            if (!CholeskySolve(system, right, m))
            {
                return iteration; // H is positive definite by construction (priors); this only guards rounding
            }

            Array.Clear(target);
            for (var i = 0; i < m; i++)
            {
                target[free[i]] = right[i];
            }

            // Candidates along θ -> target: the target and every zero crossing of a delta; keep the best.
            var best = (double[])theta.Clone();
            var bestValue = Objective(h, c, theta);
            var crossings = new List<double> { 1.0 };
            for (var a = 2; a < 2 + _s; a++)
            {
                if (theta[a] != 0 && Math.Sign(target[a]) != Math.Sign(theta[a]))
                {
                    crossings.Add(theta[a] / (theta[a] - target[a]));
                }
            }

            var candidate = new double[p];
            foreach (var alpha in crossings)
            {
                for (var a = 0; a < p; a++)
                {
                    var value = theta[a] + (alpha * (target[a] - theta[a]));
                    var isDelta = a >= 2 && a < 2 + _s;
                    // Stay in the orthant: a delta that would change sign stops at zero.
                    if (isDelta && sign[a] != 0 && Math.Sign(value) != sign[a])
                    {
                        value = 0;
                    }

                    candidate[a] = value;
                }

                var candidateValue = Objective(h, c, candidate);
                if (candidateValue < bestValue)
                {
                    bestValue = candidateValue;
                    Array.Copy(candidate, best, p);
                }
            }

            var moved = false;
            for (var a = 0; a < p; a++)
            {
                if (best[a] != theta[a])
                {
                    moved = true;
                }
            }

            if (!moved)
            {
                return iteration;
            }

            Array.Copy(best, theta, p);
        }

        return 100;
    }

    private double Objective(double[] h, double[] c, double[] theta)
    {
        var p = _p;
        var value = 0.0;
        for (var a = 0; a < p; a++)
        {
            var ht = 0.0;
            for (var b = 0; b < p; b++)
            {
                ht += h[(a * p) + b] * theta[b];
            }

            value += (0.5 * theta[a] * ht) - (c[a] * theta[a]);
        }

        for (var j = 0; j < _s; j++)
        {
            value += _lambda * Math.Abs(theta[2 + j]);
        }

        return value;
    }

    /// <summary>Solves A x = b in place (A symmetric positive definite, m × m); false if A is not.</summary>
    private static bool CholeskySolve(double[] a, double[] b, int m)
    {
        for (var j = 0; j < m; j++)
        {
            var diagonal = a[(j * m) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= a[(j * m) + k] * a[(j * m) + k];
            }

            if (!(diagonal > 0))
            {
                return false;
            }

            var l = Math.Sqrt(diagonal);
            a[(j * m) + j] = l;
            for (var i = j + 1; i < m; i++)
            {
                var sum = a[(i * m) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[(i * m) + k] * a[(j * m) + k];
                }

                a[(i * m) + j] = sum / l;
            }
        }

        for (var i = 0; i < m; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= a[(i * m) + k] * b[k];
            }

            b[i] = sum / a[(i * m) + i];
        }

        for (var i = m - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < m; k++)
            {
                sum -= a[(k * m) + i] * b[k];
            }

            b[i] = sum / a[(i * m) + i];
        }

        return true;
    }
}
