namespace Forecast.Prophet;

/// <summary>
/// The first-order optimality (KKT) conditions of prophet.stan's MAP problem at a point, measured on the reference
/// objective (<see cref="ProphetObjective"/>). With L the log posterior in the unconstrained parameters
/// [k, m, delta, log sigma_obs, beta] and L_s its smooth part (without the Laplace prior's -|delta|/tau):
/// dL/dx = 0 for k, m, log sigma_obs and beta; dL_s/d delta_j = sign(delta_j)/tau for a non-zero delta;
/// |dL_s/d delta_j| ≤ 1/tau for a zero delta (the subgradient of |delta_j| at 0). The residual is the largest violation.
/// </summary>
/// <remarks>
/// The tolerance scales with the problem: each gradient entry is a sum over the rows of terms of size
/// |d mu_i/dx|·(|y_i| + |mu_i|)/sigma², so rounding alone leaves a residual of about machine epsilon times the largest
/// such sum S (bounded here through the segmented trend design, <see cref="SegmentedDesign"/>). A point within
/// 1e-8·(1 + S) of the conditions is at the optimum up to a change of the log posterior of order 1e-16·S, far below
/// anything a forecast can show; a stalled solver (rstan at the |delta| kinks: residuals near 1/tau = 20 at prophet's
/// default) is orders of magnitude above it.
/// </remarks>
internal static class KktConditions
{
    /// <summary>Residual allowed per unit of the largest gradient term sum S (tolerance = this × (1 + S)).</summary>
    public const double RelativeTolerance = 1e-8;

    /// <summary>
    /// The residual and its tolerance at <paramref name="x"/>. <paramref name="atSigmaFloor"/>: sigma_obs is bounded
    /// below there, so only a gradient that would raise it counts.
    /// </summary>
    public static (double Residual, double Tolerance) Measure(ProphetObjective objective, double[] x, bool atSigmaFloor = false)
    {
        var data = objective.Data;
        var gradient = FitBuffers.Rent(x.Length);
        if (!objective.TryLastGradient(x, gradient))
        {
            objective.Evaluate(x, gradient); // gradient of f = -L; |delta|/tau contributes sign(delta)/tau, 0 at 0
        }

        int n = data.T, s = data.S, k = data.K;
        var lambda = 1.0 / data.Tau;
        var residual = 0.0;
        for (var a = 0; a < x.Length; a++)
        {
            var isDelta = a >= 2 && a < 2 + s;
            var violation = isDelta && x[a] == 0 ? Math.Abs(gradient[a]) - lambda : Math.Abs(gradient[a]);
            if (a == 2 + s && atSigmaFloor)
            {
                violation = Math.Max(0.0, -gradient[a]);
            }

            residual = Math.Max(residual, violation);
        }

        // S: the largest sum of absolute gradient terms, over θ = [k, m, delta, beta] and log sigma_obs.
        var size = FitBuffers.Rent(n);
        var squared = 0.0;
        var mean = objective.LastMean;
        for (var i = 0; i < n; i++)
        {
            size[i] = Math.Abs(data.Y[i]) + Math.Abs(mean[i]);
            squared += (data.Y[i] - mean[i]) * (data.Y[i] - mean[i]);
        }

        var design = new SegmentedDesign(n, s, k);
        objective.FillDesign(design, [], 0, includeBeta: false);
        var sums = FitBuffers.Rent(2 + s + k);
        var p = 2 + s;
        for (var g = 0; g < design.Segments; g++)
        {
            double w1 = 0, w2 = 0;
            for (var i = design.SegmentStart[g]; i < design.SegmentStart[g + 1]; i++)
            {
                w1 += Math.Abs(design.C1[i]) * size[i];
                w2 += Math.Abs(design.C2[i]) * size[i];
            }

            for (var a = 0; a < p; a++)
            {
                sums[a] += (Math.Abs(design.U[(g * p) + a]) * w1) + (Math.Abs(design.V[(g * p) + a]) * w2);
            }
        }

        // The beta columns X_ij·(s_a_j + s_m_j·trend_i) row by row from X (each column's sum still in row order).
        var features = data.X;
        var trend = objective.LastTrend;
        if (!objective.HasMultiplicative)
        {
            // Additive columns only: |X_ij·s_a_j| = |s_a_j|·|X_ij|, so whole rows are summed at once.
            var columnSums = sums.AsSpan(p, k);
            for (var i = 0; i < n; i++)
            {
                VectorMath.AddAbsolute(size[i], features.AsSpan(i * k, k), columnSums);
            }

            for (var j = 0; j < k; j++)
            {
                columnSums[j] *= Math.Abs(data.SA[j]);
            }
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                var row = features.AsSpan(i * k, k);
                for (var j = 0; j < k; j++)
                {
                    double sa = data.SA[j], sm = data.SM[j];
                    var value = sm == 0 ? row[j] * sa : row[j] * (sa + (sm * trend[i]));
                    sums[p + j] += Math.Abs(value) * size[i];
                }
            }
        }

        var sigma2 = Math.Exp(2 * x[2 + s]);
        var scale = n + (squared / sigma2) + (4 * sigma2);
        foreach (var sum in sums)
        {
            scale = Math.Max(scale, (sum / sigma2) + lambda);
        }

        return (residual, RelativeTolerance * (1 + scale));
    }
}
