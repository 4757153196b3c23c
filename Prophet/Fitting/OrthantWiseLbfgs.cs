namespace Forecast.Prophet;

/// <summary>
/// Orthant-wise limited-memory quasi-Newton (OWL-QN; Andrew &amp; Gao 2007, "Scalable training of L1-regularized
/// log-linear models") for F(x) = f(x) + Σ c_i |x_i| with f smooth. prophet's objective has exactly this form: the
/// Laplace prior on the changepoint deltas contributes Σ |delta_j| / tau (prophet.stan: delta ~ double_exponential).
/// Stan's L-BFGS treats |delta| as smooth and stalls at its kinks a little short of the mode; OWL-QN handles the
/// kinks exactly (pseudo-gradient, orthant projection), so we use it to finish Stan's run at the true MAP.
/// </summary>
public sealed class OrthantWiseLbfgs
{
    public int HistorySize { get; init; } = 10;

    public int MaxIterations { get; init; } = 10000;

    /// <summary>Stop when <see cref="Window"/> iterations together lower F by less than this, relative to max(1, |F|).</summary>
    public double RelativeTolerance { get; init; } = 1e-11;

    public int Window { get; init; } = 10;

    /// <param name="smooth">f and its gradient (without the L1 term).</param>
    /// <param name="l1Weights">c_i ≥ 0 per coordinate.</param>
    public OptimizationResult Minimize(GradientFunction smooth, double[] l1Weights, double[] x0, CancellationToken cancellationToken = default)
    {
        var n = x0.Length;
        var x = (double[])x0.Clone();
        var g = new double[n];
        var f = smooth(x, g);
        var total = f + L1(x, l1Weights);
        if (!double.IsFinite(total))
        {
            throw new InvalidOperationException("OWL-QN: the objective is not finite at the start point.");
        }

        var pseudo = new double[n];
        var direction = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var s = new double[n];
        var y = new double[n];
        var pseudoNew = new double[n];
        var history = new LbfgsHistory(HistorySize, n);
        var hasHistory = false;
        PseudoGradient(x, g, l1Weights, pseudo);
        var recent = new double[Window];
        var iteration = 0;
        for (iteration = 1; iteration <= MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (MaxAbs(pseudo) < 1e-12)
            {
                break;
            }

            if (hasHistory)
            {
                history.SearchDirection(direction, pseudo);
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -pseudo[i];
                }
            }

            // Keep only components that descend along the pseudo-gradient.
            for (var i = 0; i < n; i++)
            {
                if (direction[i] * pseudo[i] >= 0)
                {
                    direction[i] = 0;
                }
            }

            var alpha = hasHistory ? 1.0 : 1.0 / Math.Max(1.0, Math.Sqrt(StanLbfgs.Dot(direction, direction)));
            double totalNew = double.NaN, fNew = double.NaN;
            var accepted = false;
            for (var trial = 0; trial < 60; trial++)
            {
                for (var i = 0; i < n; i++)
                {
                    var value = x[i] + (alpha * direction[i]);
                    if (l1Weights[i] > 0)
                    {
                        // Orthant of the current point, or of the descent direction when x_i = 0.
                        var orthant = x[i] != 0 ? Math.Sign(x[i]) : Math.Sign(-pseudo[i]);
                        if (Math.Sign(value) != orthant)
                        {
                            value = 0;
                        }
                    }

                    xNew[i] = value;
                }

                fNew = smooth(xNew, gNew);
                totalNew = fNew + L1(xNew, l1Weights);
                var decrease = 0.0;
                for (var i = 0; i < n; i++)
                {
                    decrease += pseudo[i] * (xNew[i] - x[i]);
                }

                if (double.IsFinite(totalNew) && StanLbfgs.AllFinite(gNew) && totalNew <= total + (1e-4 * decrease))
                {
                    accepted = true;
                    break;
                }

                alpha *= 0.5;
            }

            if (!accepted)
            {
                break;
            }

            for (var i = 0; i < n; i++)
            {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }

            var sy = StanLbfgs.Dot(s, y);
            if (sy > 1e-16 * Math.Sqrt(StanLbfgs.Dot(s, s) * StanLbfgs.Dot(y, y)))
            {
                history.Update(y, s, reset: false);
                hasHistory = true;
            }

            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            f = fNew;
            total = totalNew;
            PseudoGradient(x, g, l1Weights, pseudoNew);
            Array.Copy(pseudoNew, pseudo, n);
            // recent[] is a ring of the last Window objective values.
            var slot = iteration % Window;
            if (iteration > Window && recent[slot] - total <= RelativeTolerance * Math.Max(1.0, Math.Abs(total)))
            {
                break;
            }

            recent[slot] = total;
        }

        return new OptimizationResult(x, total, 0, iteration, "OWLQN");
    }

    /// <summary>The minimum-norm subgradient of F (Andrew &amp; Gao, eq. 4).</summary>
    private static void PseudoGradient(double[] x, double[] g, double[] c, double[] pseudo)
    {
        for (var i = 0; i < x.Length; i++)
        {
            if (c[i] == 0)
            {
                pseudo[i] = g[i];
            }
            else if (x[i] > 0)
            {
                pseudo[i] = g[i] + c[i];
            }
            else if (x[i] < 0)
            {
                pseudo[i] = g[i] - c[i];
            }
            else if (g[i] + c[i] < 0)
            {
                pseudo[i] = g[i] + c[i];
            }
            else if (g[i] - c[i] > 0)
            {
                pseudo[i] = g[i] - c[i];
            }
            else
            {
                pseudo[i] = 0;
            }
        }
    }

    private static double L1(double[] x, double[] c)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += c[i] * Math.Abs(x[i]);
        }

        return sum;
    }

    private static double MaxAbs(double[] v)
    {
        var max = 0.0;
        foreach (var value in v)
        {
            max = Math.Max(max, Math.Abs(value));
        }

        return max;
    }
}
