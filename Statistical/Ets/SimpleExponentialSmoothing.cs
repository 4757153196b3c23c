using Forecast.Statistical.Numerics;
using Forecast.Statistical.Optimization;

namespace Forecast.Statistical.Ets;

/// <summary>
/// The fallbacks R forecast's <c>ets()</c> takes before its model search: a constant series gets simple exponential
/// smoothing with α = 0.99999 from the first value (<c>ses(y, alpha = 0.99999, initial = "simple")</c>), and a series
/// too short for the requested form gets Holt's or simple smoothing with conventional initial values, whichever has
/// the smaller residual variance (HoltWintersNew.R: <c>HoltWintersZZ</c>, <c>zzhw</c>). R optimises the tiny-series
/// parameters with L-BFGS-B on [0, 1]; we use Nelder-Mead on the same box, which can end at a slightly different
/// point. Seasonal or multiplicative-trend forms on such short series are refused.
/// </summary>
internal static class SimpleExponentialSmoothing
{
    public static EtsModel Constant(double[] y, int seasonLength) => Fit(y, alpha: 0.99999, beta: null, trend: false);

    public static EtsModel ForTinySeries(double[] y, int m, char error, char trend, char season, bool? damped)
    {
        if (season is 'A' or 'M')
            throw new UnsuitableSeriesException($"The series has {y.Length} observations, too few for a seasonal ETS model with season length {m}.");
        if (trend == 'M')
            throw new UnsuitableSeriesException($"The series has {y.Length} observations, too few for a multiplicative-trend ETS model.");
        if (trend == 'A') return Fit(y, null, null, trend: true);
        if (trend == 'N') return Fit(y, null, null, trend: false);
        // trend Z: Holt and simple smoothing, the smaller residual variance wins.
        EtsModel? holt = null;
        if (y.Length >= 2)
        {
            try { holt = Fit(y, null, null, trend: true); }
            catch (ModelFitException) { holt = null; }
        }
        var ses = Fit(y, null, null, trend: false);
        return holt is not null && holt.Sigma2 < ses.Sigma2 ? holt : ses;
    }

    /// <summary>HoltWintersZZ without season: α (and β) given or chosen to minimise the sum of squared errors.</summary>
    private static EtsModel Fit(double[] y, double? alpha, double? beta, bool trend)
    {
        double l0 = y[0];
        double b0 = trend ? y[1] - y[0] : 0;
        double a, b = 0;
        int select = (alpha is null ? 1 : 0) + (trend && beta is null ? 1 : 0);
        if (select > 0)
        {
            // initparam(..., lower = 0, upper = 1, bounds = "usual"): alpha = 0.2, beta = 0.1 * alpha's bound.
            var start = new List<double>();
            if (alpha is null) start.Add(0.2);
            if (trend && beta is null) start.Add(0.1 * Math.Min(1, start.Count > 0 ? start[0] : alpha!.Value));
            Objective sse = p =>
            {
                foreach (double v in p) if (v < 0 || v > 1) return double.PositiveInfinity;
                double aa = alpha ?? p[0];
                double bb = trend ? beta ?? p[alpha is null ? 1 : 0] : 0;
                return Run(y, aa, bb, trend, l0, b0).Sse;
            };
            var result = NelderMead.Minimize(sse, start.ToArray(), double.NegativeInfinity, 1e-8, maxit: 500)
                ?? throw new ModelFitException("Simple exponential smoothing could not be fitted.");
            a = alpha ?? result.X[0];
            if (trend) b = beta ?? result.X[alpha is null ? 1 : 0];
        }
        else
        {
            a = alpha!.Value;
            b = beta ?? 0;
        }

        var run = Run(y, a, b, trend, l0, b0);
        int n = y.Length;
        var errors = new double[n];
        for (int t = 0; t < n; t++) errors[t] = y[t] - run.Fitted[t];
        double sigma2 = AccurateSum.Mean(errors.Select(e => e * e).ToArray());
        var form = new EtsForm(EtsComponent.Additive, trend ? EtsComponent.Additive : EtsComponent.None, false, EtsComponent.None);
        double[] initial = trend ? [l0, b0] : [l0];
        double[] final = trend ? [run.Level, run.Trend] : [run.Level];
        var parameters = new EtsParameters(a, trend ? b : null, null, null);
        return new EtsModel(form, parameters, initial, final, y, errors, sigma2, double.NaN, double.NaN, double.NaN, double.NaN,
            double.NaN, double.NaN, 1);
    }

    /// <summary>zzhw without season: ŷ_t = l + b; l ← α y + (1 − α)(l + b); b ← β (l_new − l) + (1 − β) b.</summary>
    private static (double Sse, double[] Fitted, double Level, double Trend) Run(double[] y, double alpha, double beta, bool trend, double l0, double b0)
    {
        double level = l0, slope = trend ? b0 : 0, sse = 0;
        var fitted = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            double xhat = level + slope;
            fitted[i] = xhat;
            double res = y[i] - xhat;
            sse += res * res;
            double newLevel = alpha * y[i] + (1 - alpha) * (level + slope);
            slope = trend ? beta * (newLevel - level) + (1 - beta) * slope : 0;
            level = newLevel;
        }
        return (sse, fitted, level, slope);
    }
}
