using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// Exact minimiser of q(θ) = ½θ'Hθ - c'θ + λ Σ_{j in delta block} |θ_j| for positive definite H: the
/// L1-penalised quadratic that both prophet solvers reduce to (the Laplace prior on the changepoint deltas).
/// </summary>
internal static class L1QuadraticSolver
{
    /// <summary>
    /// Minimises q(θ) = ½θ'Hθ - c'θ + λ Σ_delta |θ_j| exactly by an active-set orthant-wise Newton method
    /// (feature-sign search, Lee et al. 2007): solve on the free set with the orthant's signs, then move to the
    /// best point on the segment, stopping at sign changes. Returns the number of linear solves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Solve(double[] h, double[] c, double[] theta, int deltaStart, int deltaCount, double lambda)
    {
        var p = theta.Length;
        var gradient = new double[p];
        var free = new List<int>(p);
        var sign = new double[p];
        var target = new double[p];
        for (var iteration = 1; iteration <= 100; iteration++)
        {
            // gradient of the smooth part: Hθ - c
            for (var a = 0; a < p; a++)
            {
                gradient[a] = VectorMath.Dot(h.AsSpan(a * p, p), theta) - c[a];
            }

            // Feature-sign search: first make the non-zero coordinates optimal; only then activate the one zero
            // delta whose optimality condition |g| <= lambda is violated most.
            free.Clear();
            var freeViolation = 0.0;
            var worstZero = -1;
            var worstZeroViolation = 0.0;
            for (var a = 0; a < p; a++)
            {
                var isDelta = a >= deltaStart && a < deltaStart + deltaCount;
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
                    freeViolation = Math.Max(freeViolation, Math.Abs(gradient[a] + (lambda * sign[a])));
                }
                else if (Math.Abs(gradient[a]) - lambda > worstZeroViolation)
                {
                    worstZeroViolation = Math.Abs(gradient[a]) - lambda;
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

                right[i] = c[free[i]] - (lambda * sign[free[i]]);
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
            var bestValue = Objective(h, c, theta, deltaStart, deltaCount, lambda);
            var crossings = new List<double> { 1.0 };
            for (var a = deltaStart; a < deltaStart + deltaCount; a++)
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
                    var isDelta = a >= deltaStart && a < deltaStart + deltaCount;
                    // Stay in the orthant: a delta that would change sign stops at zero.
                    if (isDelta && sign[a] != 0 && Math.Sign(value) != sign[a])
                    {
                        value = 0;
                    }

                    candidate[a] = value;
                }

                var candidateValue = Objective(h, c, candidate, deltaStart, deltaCount, lambda);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Objective(double[] h, double[] c, double[] theta, int deltaStart, int deltaCount, double lambda)
    {
        var p = theta.Length;
        var value = 0.0;
        for (var a = 0; a < p; a++)
        {
            var ht = VectorMath.Dot(h.AsSpan(a * p, p), theta);

            value += (0.5 * theta[a] * ht) - (c[a] * theta[a]);
        }

        for (var j = 0; j < deltaCount; j++)
        {
            value += lambda * Math.Abs(theta[deltaStart + j]);
        }

        return value;
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
