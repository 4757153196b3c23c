using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// Exact minimiser of q(θ) = ½θ'Hθ - c'θ + λ Σ_{j in delta block} |θ_j| for positive definite H: the
/// L1-penalised quadratic that both prophet solvers reduce to (the Laplace prior on the changepoint deltas).
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
internal static class L1QuadraticSolver
{
    /// <summary>
    /// Minimises q from the warm start <paramref name="theta"/> (overwritten with the minimiser). Returns the number
    /// of Newton systems solved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Solve(double[] h, double[] c, double[] theta, int deltaStart, int deltaCount, double lambda)
    {
        var p = theta.Length;
        var deltaEnd = deltaStart + deltaCount;
        var free = new bool[p];
        var sign = new double[p];
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
        var indices = new int[p];
        var system = new double[p * p];
        var target = new double[p];
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
                var row = indices[i] * p;
                for (var j = 0; j < m; j++)
                {
                    system[(i * m) + j] = h[row + indices[j]];
                }

                target[i] = c[indices[i]] - (lambda * sign[indices[i]]);
            }

            solves++;
            if (!CholeskySolve(system, target, m))
            {
                return solves; // H is positive definite by construction (priors); this only guards rounding
            }

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
                    }
                }

                if (worst < 0)
                {
                    return solves;
                }

                var gradient = VectorMath.Dot(h.AsSpan(worst * p, p), theta) - c[worst];
                free[worst] = true;
                sign[worst] = -Math.Sign(gradient);
                justAdded = worst;
                continue;
            }

            if (blocking == justAdded && alpha == 0)
            {
                // The delta just activated wants the other sign at once: its violation was rounding. Stop here.
                free[blocking] = false;
                sign[blocking] = 0;
                theta[blocking] = 0;
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

        return solves;
    }

    /// <summary>Solves A x = b in place (A symmetric positive definite, m × m); false if A is not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool CholeskySolve(double[] a, double[] b, int m)
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
