using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Ets;

/// <summary>
/// Prediction intervals by simulation for the ETS forms without analytic variance (multiplicative trend, or additive
/// error with multiplicative season), as R forecast's <c>pegelsfcast.C</c>: 5000 future paths from the final state with
/// Gaussian innovations of variance σ² (multiplicative errors floored at −1), interval bounds as type-8 sample quantiles
/// per step, and the point forecast from the state recursion (<c>etsforecast</c>). The random stream is our own
/// (seeded, so a fit forecasts the same every time), not R's.
/// </summary>
internal static class EtsSimulation
{
    public const int Paths = 5000;

    public static StatisticalForecast Forecast(EtsModel model, int h, double[] levels, int seed = 1)
    {
        var form = model.Form;
        int m = model.SeasonLength;
        int error = (int)form.Error, trend = (int)form.Trend, season = (int)form.Season;
        var par = model.Parameters;
        double alpha = par.Alpha, beta = par.Beta ?? 0, gamma = par.Gamma ?? 0, phi = par.Phi ?? 1;
        var state = model.FinalStates;
        int seasonM = season == EtsRecursions.None ? 1 : m;

        var mean = new double[h];
        var (l0, b0, s0) = Split(state, trend, season, seasonM);
        EtsRecursions.Forecast(l0, b0, s0, seasonM, trend, season, phi, mean, h);
        if (Math.Abs(mean[0] - EtsRecursions.NotAvailable) < 1e-7)
            throw new ModelFitException($"{form}: the multiplicative damped trend turned negative; no forecast is defined.");

        var rng = new Random(seed);
        double sd = Math.Sqrt(model.Sigma2);
        var paths = new double[h][];
        for (int j = 0; j < h; j++) paths[j] = new double[Paths];
        var counts = new int[h];
        var olds = new double[24];
        var f = new double[1];
        var lane = EtsRecursions.OneStepLane.For(error, trend, season);
        var step = new EtsRecursions.OneStep(alpha, beta, gamma, phi, seasonM, false);
        for (int path = 0; path < Paths; path++)
        {
            // The seasonal states in a ring, the newest at head (s[j] = ring[(head + j) mod m]).
            var (l, b, ring) = Split(state, trend, season, seasonM);
            int head = 0;
            for (int j = 0; j < h; j++)
            {
                double e = sd * Gaussian(rng);
                if (error == EtsRecursions.Mult) e = Math.Max(-1, e);
                if (season != EtsRecursions.None)
                {
                    for (int k = 0; k < seasonM; k++) olds[k] = ring[(head + k) % seasonM];
                }
                EtsRecursions.Forecast(l, b, olds, seasonM, trend, season, phi, f, 1);
                if (Math.Abs(f[0] - EtsRecursions.NotAvailable) < 1e-10) break;
                double y = error == EtsRecursions.Add ? f[0] + e : f[0] * (1.0 + e);
                lane.Advance(y, step, ref l, ref b, ref head, ring);
                paths[j][counts[j]++] = y;
            }
        }

        var lower = new double[levels.Length][];
        var upper = new double[levels.Length][];
        for (int i = 0; i < levels.Length; i++)
        {
            lower[i] = new double[h];
            upper[i] = new double[h];
        }
        for (int j = 0; j < h; j++)
        {
            var sorted = paths[j].AsSpan(0, counts[j]).ToArray();
            Array.Sort(sorted);
            for (int i = 0; i < levels.Length; i++)
            {
                lower[i][j] = QuantileType8(sorted, 0.5 - levels[i] / 200);
                upper[i][j] = QuantileType8(sorted, 0.5 + levels[i] / 200);
            }
        }
        return new StatisticalForecast(mean, levels, lower, upper);
    }

    private static (double L, double B, double[] S) Split(double[] state, int trend, int season, int m)
    {
        double l = state[0], b = trend != EtsRecursions.None ? state[1] : 0;
        var s = new double[24];
        if (season != EtsRecursions.None)
            for (int j = 0; j < m; j++) s[j] = state[(trend != EtsRecursions.None ? 1 : 0) + j + 1];
        return (l, b, s);
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>R's <c>quantile(x, p, type = 8)</c> (median-unbiased) of sorted values; NaN for none.</summary>
    internal static double QuantileType8(double[] sorted, double p)
    {
        int n = sorted.Length;
        if (n == 0) return double.NaN;
        const double fuzz = 4 * 2.220446049250313e-16;
        double nppm = 1.0 / 3 + p * (n + 1.0 / 3);
        int j = (int)Math.Floor(nppm + fuzz);
        double g = nppm - j;
        if (Math.Abs(g) < fuzz) g = 0;
        double lo = sorted[Math.Clamp(j - 1, 0, n - 1)];
        double hi = sorted[Math.Clamp(j, 0, n - 1)];
        return g == 0 ? lo : (1 - g) * lo + g * hi;
    }
}
