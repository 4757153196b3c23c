namespace Forecast.Prophet;

/// <summary>
/// A one-dimensional search along the mean's near-invariance under scaling of the trend, for linear or flat growth
/// with multiplicative columns X_m that (nearly) span a constant: with v = argmin ||X_m v - 1||, the mean
/// trend·(1 + X_m·beta_m) + X_a·beta_a is unchanged by trend → c·trend, beta_m → (beta_m + v)/c - v when X_m v = 1,
/// while the priors change (the Laplace prior on delta scales with c, the Gaussian ones on k, m with c², beta_m's with
/// 1/c²). The posterior's ridge then follows the hyperbola trend·beta_m ≈ const, which a Gauss–Newton or Newton
/// step only sees as its tangent, so it crawls along it (a monthly series with a quarterly multiplicative seasonality:
/// the third harmonic sampled every third of its period is a constant column). This search moves along the curve.
/// </summary>
internal sealed class MultiplicativeScaleSearch
{
    /// <summary>The curve is used when the best constant fit by X_m leaves at most this share of ||1||² = T.</summary>
    private const double MaxRelativeResidual = 0.05;

    private readonly ProphetObjective _objective;
    private readonly double[] _shift; // v on multiplicative columns, 0 elsewhere
    private readonly double[] _trial;

    private MultiplicativeScaleSearch(ProphetObjective objective, double[] shift)
    {
        _objective = objective;
        _shift = shift;
        _trial = new double[objective.Dimension];
    }

    /// <summary>The search for this objective, or null when the trend is logistic or X_m does not span a near-constant.</summary>
    public static MultiplicativeScaleSearch? TryCreate(ProphetObjective objective)
    {
        var data = objective.Data;
        if (data.TrendIndicator == 1 || !objective.HasMultiplicative)
        {
            return null;
        }

        var columns = Enumerable.Range(0, data.K).Where(j => data.SM[j] != 0).ToArray();
        var m = columns.Length;

        // [X_m, 1] by padded columns: its Gram matrix holds X_m'X_m and X_m'1 (one vectorised pass).
        var stride = GramMatrix.Stride(data.T);
        var design = FitBuffers.Rent((m + 1) * stride); // the fit's scratch (zeros, so the padding rows stay zero), held until the fit's buffer scope ends
        for (var a = 0; a <= m; a++)
        {
            var column = design.AsSpan(a * stride, stride);
            if (a < m)
            {
                objective.XColumn(columns[a]).CopyTo(column);
            }
            else
            {
                column[..data.T].Fill(1.0);
            }
        }

        var full = new double[(m + 1) * (m + 1)];
        GramMatrix.Compute(design, stride, m + 1, full);
        var gram = new double[m * m];
        var rhs = new double[m];
        for (var a = 0; a < m; a++)
        {
            Array.Copy(full, a * (m + 1), gram, a * m, m);
            rhs[a] = full[(a * (m + 1)) + m];
            gram[(a * m) + a] *= 1 + 1e-10;
        }

        var v = SolveSymmetric(gram, rhs, m);
        if (v is null)
        {
            return null;
        }

        // ||X_m v - 1||² = T - 2 v'X_m'1 + v'X_m'X_m v
        var residual = data.T - (2 * VectorMath.Dot(v, rhs));
        for (var a = 0; a < m; a++)
        {
            residual += v[a] * VectorMath.Dot(gram.AsSpan(a * m, m), v);
        }

        if (!(residual <= MaxRelativeResidual * data.T))
        {
            return null;
        }

        var shift = new double[data.K];
        for (var a = 0; a < m; a++)
        {
            shift[columns[a]] = v[a];
        }

        return new MultiplicativeScaleSearch(objective, shift);
    }

    /// <summary>
    /// Moves x along the curve to a lower f (sigma_obs at its conditional optimum, through <paramref name="value"/>,
    /// which evaluates f that way and writes the sigma_obs it used into its argument); returns the new f.
    /// The objective's state is left at the returned point.
    /// </summary>
    public double Improve(double[] x, double f, Func<double[], double> value)
    {
        var u = 0.0; // ln c of the best point so far, relative to x
        var best = f;
        var bestX = (double[])x.Clone();
        var h = 0.02;
        for (var round = 0; round < 4; round++)
        {
            var plus = Evaluate(bestX, h, value);
            var minus = Evaluate(bestX, -h, value);
            var slope = (plus - minus) / (2 * h);
            var curvature = (plus + minus - (2 * best)) / (h * h);
            var step = curvature > 0 ? Math.Clamp(-slope / curvature, -2.0, 2.0) : (slope < 0 ? 1.0 : -1.0);
            var candidates = new[] { (Step: step, Value: Evaluate(bestX, step, value)), (Step: h, Value: plus), (Step: -h, Value: minus) };
            var (chosen, chosenValue) = candidates.MinBy(c => c.Value);
            if (!(chosenValue < best))
            {
                break;
            }

            Move(bestX, chosen, bestX);
            best = value(bestX);
            u += chosen;
            if (Math.Abs(chosen) < 1e-3)
            {
                break;
            }

            h = Math.Clamp(Math.Abs(chosen) * 0.1, 1e-3, 0.05);
        }

        if (best < f)
        {
            Array.Copy(bestX, x, x.Length);
        }

        _objective.Value(x);
        return Math.Min(best, f);
    }

    private double Evaluate(double[] x, double u, Func<double[], double> value)
    {
        Move(x, u, _trial);
        return value(_trial);
    }

    /// <summary>destination = x moved by ln c = u along the curve (sigma_obs is left for the evaluation to set).</summary>
    private void Move(double[] x, double u, double[] destination)
    {
        var data = _objective.Data;
        int s = data.S, k = data.K;
        var c = Math.Exp(u);
        if (!ReferenceEquals(x, destination))
        {
            Array.Copy(x, destination, x.Length);
        }

        for (var a = 0; a < 2 + s; a++)
        {
            destination[a] = x[a] * c;
        }

        for (var j = 0; j < k; j++)
        {
            if (data.SM[j] != 0)
            {
                destination[3 + s + j] = ((x[3 + s + j] + _shift[j]) / c) - _shift[j];
            }
        }
    }

    /// <summary>Solves the symmetric positive definite m × m system by Cholesky; null if it is not positive definite.</summary>
    private static double[]? SolveSymmetric(double[] matrix, double[] rhs, int m)
    {
        var l = new double[m * m];
        for (var j = 0; j < m; j++)
        {
            var diagonal = matrix[(j * m) + j] - VectorMath.Dot(l.AsSpan(j * m, j), l.AsSpan(j * m, j));
            if (!(diagonal > 0))
            {
                return null;
            }

            l[(j * m) + j] = Math.Sqrt(diagonal);
            for (var i = j + 1; i < m; i++)
            {
                l[(i * m) + j] = (matrix[(i * m) + j] - VectorMath.Dot(l.AsSpan(i * m, j), l.AsSpan(j * m, j))) / l[(j * m) + j];
            }
        }

        var z = new double[m];
        for (var i = 0; i < m; i++)
        {
            z[i] = (rhs[i] - VectorMath.Dot(l.AsSpan(i * m, i), z.AsSpan(0, i))) / l[(i * m) + i];
        }

        var solution = new double[m];
        for (var i = m - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var j = i + 1; j < m; j++)
            {
                sum -= l[(j * m) + i] * solution[j];
            }

            solution[i] = sum / l[(i * m) + i];
        }

        return solution;
    }
}
