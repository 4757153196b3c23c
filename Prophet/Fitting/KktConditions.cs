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
/// such sum S. A point within 1e-8·(1 + S) of the conditions is at the optimum up to a change of the log posterior of
/// order 1e-16·S, far below anything a forecast can show; a stalled solver (rstan at the |delta| kinks: residuals near
/// 1/tau = 20 at prophet's default) is orders of magnitude above it.
/// </remarks>
internal static class KktConditions
{
    /// <summary>Residual allowed per unit of the largest gradient term sum S (tolerance = this × (1 + S)).</summary>
    public const double RelativeTolerance = 1e-8;

    public static (double Residual, double Tolerance) Measure(ProphetStanData data, double[] x, bool atSigmaFloor = false)
    {
        var objective = new ProphetObjective(data);
        var gradient = new double[x.Length];
        objective.Evaluate(x, gradient); // gradient of f = -L; |delta|/tau contributes sign(delta)/tau, 0 at 0
        int n = data.T, s = data.S, k = data.K;
        var lambda = 1.0 / data.Tau;
        var residual = 0.0;
        for (var a = 0; a < x.Length; a++)
        {
            var isDelta = a >= 2 && a < 2 + s;
            var violation = isDelta && x[a] == 0 ? Math.Abs(gradient[a]) - lambda : Math.Abs(gradient[a]);
            if (a == 2 + s && atSigmaFloor)
            {
                violation = Math.Max(0.0, -gradient[a]); // bounded below: only a gradient that would raise sigma_obs violates
            }

            residual = Math.Max(residual, violation);
        }

        // S: the largest sum of absolute gradient terms, over θ = [k, m, delta, beta] and log sigma_obs.
        var p = 2 + s + k;
        var jacobian = new double[n * p];
        objective.MeanJacobian(jacobian);
        var sigma2 = Math.Exp(2 * x[2 + s]);
        var sums = new double[p];
        var squared = 0.0;
        for (var i = 0; i < n; i++)
        {
            var additive = 0.0;
            for (var j = 0; j < k; j++)
            {
                additive += data.X[(i * k) + j] * x[3 + s + j] * data.SA[j];
            }

            var mu = (objective.LastTrend[i] * objective.LastMultiplier[i]) + additive;
            var size = Math.Abs(data.Y[i]) + Math.Abs(mu);
            squared += (data.Y[i] - mu) * (data.Y[i] - mu);
            for (var a = 0; a < p; a++)
            {
                sums[a] += Math.Abs(jacobian[(i * p) + a]) * size;
            }
        }

        var scale = n + (squared / sigma2) + (4 * sigma2);
        for (var a = 0; a < p; a++)
        {
            scale = Math.Max(scale, (sums[a] / sigma2) + lambda);
        }

        return (residual, RelativeTolerance * (1 + scale));
    }
}
