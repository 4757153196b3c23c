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
/// The Cholesky factor of H_FF is factorised once per call and then kept up to date as the free set changes: a
/// coordinate that joins is appended (one forward substitution, O(m²)), one that leaves is deleted with a rank-one
/// update of the rows after it (O(m²)) — instead of a new O(m³) factorisation per change of the free set.
/// </remarks>
internal sealed class L1QuadraticSolver(int p)
{
    private readonly bool[] _free = new bool[p];
    private readonly double[] _sign = FitBuffers.Rent(p);
    private readonly int[] _order = new int[p]; // the free coordinates in the factor's order
    private readonly double[] _factor = FitBuffers.Rent(p * p); // L, row-major lower triangle, row stride p
    private readonly double[] _target = FitBuffers.Rent(p);
    private readonly double[] _scratch = FitBuffers.Rent(p);
    private int _size; // free coordinates in _order
    private bool _factorValid; // _factor is the Cholesky factor of H restricted to _order[0.._size)

    /// <summary>
    /// Minimises q from the warm start <paramref name="theta"/> (overwritten with the minimiser). Returns the number
    /// of Newton systems solved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Solve(double[] h, double[] c, double[] theta, int deltaStart, int deltaCount, double lambda, bool sameMatrix = false)
    {
        // With sameMatrix (h is the matrix the factor was last computed or updated for), a factor of the same free set
        // in the same order is kept: the unpenalised solve's factor at the floor precision serves that point's L1 solve.
        var keep = sameMatrix && _factorValid;
        var deltaEnd = deltaStart + deltaCount;
        var free = _free;
        var sign = _sign;
        var order = _order;
        var target = _target;
        var previousSize = _size;
        _size = 0;
        for (var a = 0; a < p; a++)
        {
            var isDelta = a >= deltaStart && a < deltaEnd;
            free[a] = !isDelta || theta[a] != 0;
            sign[a] = isDelta ? Math.Sign(theta[a]) : 0;
            if (free[a])
            {
                keep &= _size < previousSize && order[_size] == a;
                order[_size++] = a;
            }
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
        _factorValid = keep && _size == previousSize ? true : Factor(h);
        for (var step = 0; step < maxSteps; step++)
        {
            // Newton target on the free set: H_FF z = c_F - λ sign_F.
            var m = _size;
            for (var i = 0; i < m; i++)
            {
                target[i] = c[order[i]] - (lambda * sign[order[i]]);
            }

            solves++;
            if (!_factorValid)
            {
                return solves; // H is positive definite by construction (priors); this only guards rounding
            }

            Substitute(target, m);

            // The first free delta whose target has left its orthant blocks the step.
            var blocking = -1;
            var alpha = 1.0;
            for (var i = 0; i < m; i++)
            {
                var a = order[i];
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
                    theta[order[i]] = target[i];
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
                _factorValid = Append(h, worst) || Factor(h);
                continue;
            }

            if (blocking == justAdded && alpha == 0)
            {
                // The delta just activated wants the other sign at once: its violation was rounding. Stop here.
                free[blocking] = false;
                sign[blocking] = 0;
                theta[blocking] = 0;
                Remove(h, blocking);
                return solves;
            }

            justAdded = -1;
            for (var i = 0; i < m; i++)
            {
                var a = order[i];
                theta[a] += alpha * (target[i] - theta[a]);
            }

            // The blocking delta (and any other that rounding put on or past zero) is exactly zero and leaves the set.
            for (var i = m - 1; i >= 0; i--)
            {
                var a = order[i];
                if (sign[a] != 0 && (a == blocking || theta[a] * sign[a] <= 0))
                {
                    theta[a] = 0;
                    free[a] = false;
                    sign[a] = 0;
                    Remove(h, a);
                }
            }
        }

        _factorValid = false;
        return solves;
    }

    /// <summary>Solves H θ = c with every coordinate free (no L1 term); θ is left unchanged if H is not positive definite.</summary>
    public void SolveUnpenalised(double[] h, double[] c, double[] theta)
    {
        _size = p;
        for (var a = 0; a < p; a++)
        {
            _order[a] = a;
        }

        _factorValid = Factor(h);
        if (!_factorValid)
        {
            return;
        }

        Array.Copy(c, _target, p);
        Substitute(_target, p);
        Array.Copy(_target, theta, p);
    }

    /// <summary>
    /// r_F' H_FF⁻¹ r_F on the free set of the last <see cref="Solve"/> (the coordinates the solution moves in): with
    /// r = dc/dw - (dH/dw)θ it is the derivative that makes the solution path's sensitivity available.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double InverseQuadraticForm(double[] h, ReadOnlySpan<double> r)
    {
        var m = _size;
        if (!_factorValid && !(_factorValid = Factor(h)))
        {
            return 0;
        }

        // ||L⁻¹ r_F||² with H_FF = L L'.
        var y = _scratch;
        for (var i = 0; i < m; i++)
        {
            var sum = r[_order[i]] - VectorMath.Dot(_factor.AsSpan(i * p, i), y.AsSpan(0, i));
            y[i] = sum / _factor[(i * p) + i];
        }

        return VectorMath.Dot(y.AsSpan(0, m), y.AsSpan(0, m));
    }

    /// <summary>Cholesky factor L of H restricted to _order[0.._size); false if not positive definite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Factor(double[] h)
    {
        var m = _size;
        var a = _factor;
        for (var i = 0; i < m; i++)
        {
            var row = _order[i] * p;
            for (var j = 0; j <= i; j++)
            {
                a[(i * p) + j] = h[row + _order[j]];
            }
        }

        for (var j = 0; j < m; j++)
        {
            var rowJ = a.AsSpan(j * p, j);
            var diagonal = a[(j * p) + j] - VectorMath.Dot(rowJ, rowJ);
            if (!(diagonal > 0))
            {
                return false;
            }

            var l = Math.Sqrt(diagonal);
            a[(j * p) + j] = l;
            var i = j + 1;
            for (; i + 3 < m; i += 4)
            {
                // Four rows against row j at once (the same sums as four Dot calls, the row's loads shared).
                var (d0, d1, d2, d3) = VectorMath.Dot4(a.AsSpan(i * p, j), a.AsSpan((i + 1) * p, j), a.AsSpan((i + 2) * p, j),
                    a.AsSpan((i + 3) * p, j), rowJ);
                a[(i * p) + j] = (a[(i * p) + j] - d0) / l;
                a[((i + 1) * p) + j] = (a[((i + 1) * p) + j] - d1) / l;
                a[((i + 2) * p) + j] = (a[((i + 2) * p) + j] - d2) / l;
                a[((i + 3) * p) + j] = (a[((i + 3) * p) + j] - d3) / l;
            }

            for (; i < m; i++)
            {
                a[(i * p) + j] = (a[(i * p) + j] - VectorMath.Dot(a.AsSpan(i * p, j), rowJ)) / l;
            }
        }

        return true;
    }

    /// <summary>
    /// Adds coordinate <paramref name="a"/> to the free set as the factor's last row: L_m = L⁻¹ H_F,a and
    /// L_mm = sqrt(H_aa - |L_m|²). False (the caller refactorises) if the factor was not valid or the pivot is not positive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Append(double[] h, int a)
    {
        var m = _size;
        _order[m] = a;
        _size = m + 1;
        if (!_factorValid)
        {
            return false;
        }

        var f = _factor;
        var row = f.AsSpan(m * p, m);
        var hRow = a * p;
        for (var j = 0; j < m; j++)
        {
            row[j] = (h[hRow + _order[j]] - VectorMath.Dot(row[..j], f.AsSpan(j * p, j))) / f[(j * p) + j];
        }

        var diagonal = h[hRow + a] - VectorMath.Dot(row, row);
        if (!(diagonal > 0))
        {
            return false;
        }

        f[(m * p) + m] = Math.Sqrt(diagonal);
        return true;
    }

    /// <summary>
    /// Removes coordinate <paramref name="a"/> from the free set. Deleting row and column r of L leaves the rows below
    /// with L₂₂L₂₂' = H₂₂ - l l' where l is the deleted column below the diagonal, so L₂₂ takes the rank-one update
    /// L₂₂L₂₂' + l l' (Givens-style, O(m²)); then the rows move up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Remove(double[] h, int a)
    {
        var m = _size;
        var r = Array.IndexOf(_order, a, 0, m);
        if (r < 0)
        {
            return;
        }

        var f = _factor;
        if (_factorValid)
        {
            var x = _scratch;
            for (var i = r + 1; i < m; i++)
            {
                x[i] = f[(i * p) + r];
            }

            for (var k = r + 1; k < m; k++)
            {
                var lkk = f[(k * p) + k];
                var rho = Math.Sqrt((lkk * lkk) + (x[k] * x[k]));
                var cos = rho / lkk;
                var sin = x[k] / lkk;
                f[(k * p) + k] = rho;
                for (var i = k + 1; i < m; i++)
                {
                    var lik = (f[(i * p) + k] + (sin * x[i])) / cos;
                    f[(i * p) + k] = lik;
                    x[i] = (cos * x[i]) - (sin * lik);
                }
            }

            // Move rows r+1.. up by one and drop column r from each.
            for (var i = r + 1; i < m; i++)
            {
                var source = i * p;
                var destination = (i - 1) * p;
                Array.Copy(f, source, f, destination, r);
                Array.Copy(f, source + r + 1, f, destination + r, i - r);
            }
        }

        Array.Copy(_order, r + 1, _order, r, m - r - 1);
        _size = m - 1;
        if (_factorValid)
        {
            for (var i = 0; i < _size; i++)
            {
                if (!(f[(i * p) + i] > 0))
                {
                    _factorValid = Factor(h);
                    return;
                }
            }
        }
    }

    /// <summary>Solves L L' x = b in place with the current factor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Substitute(double[] b, int m)
    {
        var a = _factor;
        for (var i = 0; i < m; i++)
        {
            b[i] = (b[i] - VectorMath.Dot(a.AsSpan(i * p, i), b.AsSpan(0, i))) / a[(i * p) + i];
        }

        // L' x = y by columns of L' (= rows of L): x_i = y_i / L_ii, then y_0..i-1 -= x_i L_i,0..i-1.
        for (var i = m - 1; i >= 0; i--)
        {
            var x = b[i] / a[(i * p) + i];
            b[i] = x;
            VectorMath.Axpy(-x, a.AsSpan(i * p, i), b.AsSpan(0, i));
        }
    }
}
