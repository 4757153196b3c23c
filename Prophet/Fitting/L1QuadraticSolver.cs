using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// Exact minimiser of q(θ) = ½θ'Hθ - c'θ + λ Σ_{j in delta block} |θ_j| for positive definite H: the
/// L1-penalised quadratic that both prophet solvers reduce to (the Laplace prior on the changepoint deltas).
/// One instance per problem size; not thread-safe (it keeps its buffers and the last factorisation).
/// </summary>
/// <remarks>
/// An active-set method in the manner of Lawson and Hanson's NNLS, on the orthants of the delta block (the
/// feature-sign search of Lee et al. 2007 with a blocking step): the free set is every non-delta coordinate and every
/// non-zero delta with its sign. Each step solves the Newton system on the free set; if a free delta's target has the
/// opposite sign, the step stops where the first such delta reaches zero, that delta is set to exactly zero and leaves
/// the free set, and the free set is solved again. Only when the free-set target is reached is the zero delta whose
/// optimality condition |g| ≤ λ is violated most added, with the sign that lowers q. q never increases, and a
/// delta that reaches zero after a step of any length (even 1e-17) leaves the free set, so the search cannot stall at
/// a free delta whose target crosses zero. It stops when the free set is at its Newton target and every zero delta
/// satisfies |g| ≤ λ within rounding: the KKT conditions of q.
/// </remarks>
internal sealed class L1QuadraticSolver(int p)
{
    private readonly bool[] _free = new bool[p];
    private readonly double[] _sign = new double[p];
    private readonly int[] _indices = new int[p];
    private readonly double[] _factor = new double[p * p];
    private readonly double[] _target = new double[p];
    private readonly double[] _scratch = new double[p];
    private int _factorSize = -1; // rows of _factor valid for the free set in _indices; -1 = none

    /// <summary>
    /// Minimises q from the warm start <paramref name="theta"/> (overwritten with the minimiser). Returns the number
    /// of Newton systems solved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Solve(double[] h, double[] c, double[] theta, int deltaStart, int deltaCount, double lambda)
    {
        var deltaEnd = deltaStart + deltaCount;
        var free = _free;
        var sign = _sign;
        var indices = _indices;
        var target = _target;
        for (var a = 0; a < p; a++)
        {
            var isDelta = a >= deltaStart && a < deltaEnd;
            free[a] = !isDelta || theta[a] != 0;
            sign[a] = isDelta ? Math.Sign(theta[a]) : 0;
        }

        // Violations below rounding of the gradient (|Hθ| and |c| terms at machine precision) are not acted on.
        var scale = 1.0;
        foreach (var value in c)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }

        var tolerance = 1e-13 * Math.Max(scale, lambda);
        var justAdded = -1;
        var solves = 0;
        var maxSteps = (20 * p) + 100;
        for (var step = 0; step < maxSteps; step++)
        {
            // Newton target on the free set: H_FF z = c_F - λ sign_F.
            var m = 0;
            for (var a = 0; a < p; a++)
            {
                if (free[a])
                {
                    indices[m++] = a;
                }
            }

            for (var i = 0; i < m; i++)
            {
                target[i] = c[indices[i]] - (lambda * sign[indices[i]]);
            }

            solves++;
            if (!Factor(h, m))
            {
                return solves; // H is positive definite by construction (priors); this only guards rounding
            }

            Substitute(target, m);

            // The first free delta whose target has left its orthant blocks the step.
            var blocking = -1;
            var alpha = 1.0;
            for (var i = 0; i < m; i++)
            {
                var a = indices[i];
                if (sign[a] != 0 && target[i] * sign[a] <= 0)
                {
                    var crossing = theta[a] / (theta[a] - target[i]);
                    if (crossing < alpha || blocking < 0)
                    {
                        alpha = Math.Clamp(crossing, 0.0, 1.0);
                        blocking = a;
                    }
                }
            }

            if (blocking < 0)
            {
                for (var i = 0; i < m; i++)
                {
                    theta[indices[i]] = target[i];
                }

                // The free set is optimal; activate the zero delta that violates |g| <= λ most.
                var worst = -1;
                var worstViolation = tolerance;
                var worstGradient = 0.0;
                for (var a = deltaStart; a < deltaEnd; a++)
                {
                    if (free[a])
                    {
                        continue;
                    }

                    var g = VectorMath.Dot(h.AsSpan(a * p, p), theta) - c[a];
                    var violation = Math.Abs(g) - lambda;
                    if (violation > worstViolation)
                    {
                        worstViolation = violation;
                        worst = a;
                        worstGradient = g;
                    }
                }

                if (worst < 0)
                {
                    return solves; // the factor is that of the final free set
                }

                free[worst] = true;
                sign[worst] = -Math.Sign(worstGradient);
                justAdded = worst;
                continue;
            }

            if (blocking == justAdded && alpha == 0)
            {
                // The delta just activated wants the other sign at once: its violation was rounding. Stop here.
                free[blocking] = false;
                sign[blocking] = 0;
                theta[blocking] = 0;
                _factorSize = -1;
                return solves;
            }

            justAdded = -1;
            for (var i = 0; i < m; i++)
            {
                var a = indices[i];
                theta[a] += alpha * (target[i] - theta[a]);
            }

            // The blocking delta (and any other that rounding put on or past zero) is exactly zero and leaves the set.
            for (var i = 0; i < m; i++)
            {
                var a = indices[i];
                if (sign[a] != 0 && (a == blocking || theta[a] * sign[a] <= 0))
                {
                    theta[a] = 0;
                    free[a] = false;
                    sign[a] = 0;
                }
            }
        }

        _factorSize = -1;
        return solves;
    }

    /// <summary>
    /// r_F' H_FF⁻¹ r_F on the free set of the last <see cref="Solve"/> (the coordinates the solution moves in): with
    /// r = dc/dw - (dH/dw)θ it is the derivative that makes the solution path's sensitivity available.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double InverseQuadraticForm(double[] h, ReadOnlySpan<double> r)
    {
        var m = 0;
        for (var a = 0; a < p; a++)
        {
            if (_free[a])
            {
                _indices[m++] = a;
            }
        }

        if (_factorSize != m && !Factor(h, m))
        {
            return 0;
        }

        // ||L⁻¹ r_F||² with H_FF = L L'.
        var y = _scratch;
        for (var i = 0; i < m; i++)
        {
            var sum = r[_indices[i]] - VectorMath.Dot(_factor.AsSpan(i * m, i), y.AsSpan(0, i));
            y[i] = sum / _factor[(i * m) + i];
        }

        return VectorMath.Dot(y.AsSpan(0, m), y.AsSpan(0, m));
    }

    /// <summary>Cholesky factor L (row-major, lower) of H restricted to _indices[0..m); false if not positive definite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Factor(double[] h, int m)
    {
        var a = _factor;
        for (var i = 0; i < m; i++)
        {
            var row = _indices[i] * p;
            for (var j = 0; j <= i; j++)
            {
                a[(i * m) + j] = h[row + _indices[j]];
            }
        }

        _factorSize = -1;
        for (var j = 0; j < m; j++)
        {
            var rowJ = a.AsSpan(j * m, j);
            var diagonal = a[(j * m) + j] - VectorMath.Dot(rowJ, rowJ);
            if (!(diagonal > 0))
            {
                return false;
            }

            var l = Math.Sqrt(diagonal);
            a[(j * m) + j] = l;
            for (var i = j + 1; i < m; i++)
            {
                a[(i * m) + j] = (a[(i * m) + j] - VectorMath.Dot(a.AsSpan(i * m, j), rowJ)) / l;
            }
        }

        _factorSize = m;
        return true;
    }

    /// <summary>Solves L L' x = b in place with the factor of <see cref="Factor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Substitute(double[] b, int m)
    {
        var a = _factor;
        for (var i = 0; i < m; i++)
        {
            b[i] = (b[i] - VectorMath.Dot(a.AsSpan(i * m, i), b.AsSpan(0, i))) / a[(i * m) + i];
        }

        // L' x = y by columns of L' (= rows of L): x_i = y_i / L_ii, then y_0..i-1 -= x_i L_i,0..i-1.
        for (var i = m - 1; i >= 0; i--)
        {
            var x = b[i] / a[(i * m) + i];
            b[i] = x;
            VectorMath.Axpy(-x, a.AsSpan(i * m, i), b.AsSpan(0, i));
        }
    }
}
