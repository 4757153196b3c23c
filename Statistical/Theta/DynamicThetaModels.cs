using Forecast.Statistical.Decomposition;
using Forecast.Statistical.Numerics;
using Forecast.Statistical.Optimization;

namespace Forecast.Statistical.Theta;

/// <summary>
/// statsforecast's Theta models (theta.py, theta.cpp; Fiorucci, Pellegrini, Louzada, Petropoulos and Koehler 2016,
/// "Models for optimising the theta method and their relationship to state space models"): the standard (STM) and
/// optimised (OTM) Theta models, and their dynamic versions (DSTM, DOTM) whose trend line is re-estimated every step.
/// Level ℓ₀, α (and θ for the optimised ones) minimise Σ_{t≥3} e_t² / mean|y| with statsforecast's bounded
/// Nelder-Mead; AutoTheta keeps the variant with the smallest value. Seasonality: statsforecast's test (m ≥ 4, two
/// seasons, the lag-m autocorrelation beyond its 90% bound), a classical decomposition (multiplicative for positive
/// data with indices above 0.01, else additive), and the last season's indices carried forward. Intervals come from
/// simulated paths (normal errors with the residual standard deviation); our random stream is seeded but not numpy's.
/// </summary>
internal static class DynamicThetaModels
{
    private const double NotAvailable = -99999.0;
    private const double Tol = 1e-10;
    private const int Nmse = 3;
    private const int Samples = 1000;

    public static ThetaModel Fit(double[] original, int m, ThetaVariant variant)
    {
        var y = (double[])original.Clone();
        int n = y.Length;
        if (n <= 3) throw new UnsuitableSeriesException($"The series has {n} observations; the optimised and dynamic Theta models need more than 3.");

        double[]? seasonal = null;
        bool multiplicative = true;
        if (m >= 4 && n >= 2 * m && !SeriesGuards.IsConstant(y) && SeasonalityTest.IsSeasonal(y, m, allowAnyLength: true))
        {
            multiplicative = y.Min() > 0;
            seasonal = ClassicalDecomposition.Seasonal(y, m, multiplicative);
            if (multiplicative && seasonal.Any(s => s < 0.01))
            {
                multiplicative = false;
                seasonal = ClassicalDecomposition.Seasonal(y, m, multiplicative: false);
            }
            for (int t = 0; t < n; t++) y[t] = multiplicative ? y[t] / seasonal[t] : y[t] - seasonal[t];
        }

        ModelType[] types = variant switch
        {
            ThetaVariant.Optimized => [ModelType.Otm],
            ThetaVariant.DynamicStandard => [ModelType.Dstm],
            ThetaVariant.DynamicOptimized => [ModelType.Dotm],
            _ => [ModelType.Stm, ModelType.Otm, ModelType.Dstm, ModelType.Dotm],
        };
        Fitted? best = null;
        foreach (var type in types)
        {
            var fit = FitOne(y, type);
            if (!double.IsNaN(fit.Mse) && (best is null || fit.Mse < best.Mse)) best = fit;
        }
        if (best is null || double.IsInfinity(best.Mse)) throw new ModelFitException("No Theta model could be fitted to the series.");

        double[]? seasonForecast = seasonal is null ? null : seasonal[^m..];
        var fitted = new double[n];
        var residuals = new double[n];
        for (int t = 0; t < n; t++)
        {
            double f = y[t] - best.Errors[t];
            fitted[t] = seasonal is null ? f : multiplicative ? f * seasonal[t] : f + seasonal[t];
            residuals[t] = original[t] - fitted[t];
        }
        var tail = best.Errors.Length > 5 ? best.Errors[3..] : best.Errors;
        double sd = StandardDeviation(tail);
        var last = best.States[^1];
        double meanY = AccurateSum.Mean(y);
        var fb = best;

        StatisticalForecast Forecast(int h, double[] levels)
        {
            var mean = new double[h];
            var state = (double[])last.Clone();
            for (int j = 0; j < h; j++)
            {
                state = Update(state, n + j, fb.Type, fb.Alpha, fb.Theta, 0, useMu: true);
                mean[j] = state[4];
            }
            var paths = SamplePaths(n, h, last, sd, fb.Alpha, fb.Theta, meanY);
            var lower = new double[levels.Length][];
            var upper = new double[levels.Length][];
            for (int i = 0; i < levels.Length; i++)
            {
                lower[i] = new double[h];
                upper[i] = new double[h];
                double lo = (100 - levels[i]) / 200, hi = lo + levels[i] / 100;
                for (int j = 0; j < h; j++)
                {
                    lower[i][j] = QuantileLinear(paths[j], lo);
                    upper[i][j] = QuantileLinear(paths[j], hi);
                }
            }
            if (seasonForecast is not null)
            {
                for (int j = 0; j < h; j++)
                {
                    double s = seasonForecast[j % m];
                    mean[j] = multiplicative ? mean[j] * s : mean[j] + s;
                    for (int i = 0; i < levels.Length; i++)
                    {
                        lower[i][j] = multiplicative ? lower[i][j] * s : lower[i][j] + s;
                        upper[i][j] = multiplicative ? upper[i][j] * s : upper[i][j] + s;
                    }
                }
            }
            return new StatisticalForecast(mean, levels, lower, upper);
        }

        string description = $"Theta({best.Type.ToString().ToUpperInvariant()})";
        double drift = best.States[^1][3] / 2;
        return new ThetaModel(description, best.Alpha, drift, best.Theta, seasonForecast, sd * sd, fitted, residuals,
            seasonal is null ? 1 : m, Forecast);
    }

    internal enum ModelType { Stm, Otm, Dstm, Dotm }

    private sealed record Fitted(ModelType Type, double Level, double Alpha, double Theta, double Mse, double[] Errors, double[][] States);

    private static bool Dynamic(ModelType t) => t is ModelType.Dstm or ModelType.Dotm;

    private static bool OptimizesTheta(ModelType t) => t is ModelType.Otm or ModelType.Dotm;

    /// <summary>thetamodel: start from ℓ₀ = y₀/2, α = 0.5, θ = 2; bounds ℓ₀ ∈ ±1e10, α ∈ [0.1, 0.99], θ ∈ [1, 1e10].</summary>
    private static Fitted FitOne(double[] y, ModelType type)
    {
        bool optTheta = OptimizesTheta(type);
        double[] start = optTheta ? [y[0] / 2, 0.5, 2.0] : [y[0] / 2, 0.5];
        double[] lower = optTheta ? [-1e10, 0.1, 1.0] : [-1e10, 0.1];
        double[] upper = optTheta ? [1e10, 0.99, 1e10] : [1e10, 0.99];
        var e = new double[y.Length];
        Objective target = p =>
        {
            double mse = Calc(y, type, p[0], p[1], optTheta ? p[2] : 2.0, e, null);
            mse = Math.Max(mse, -1e10);
            // statsforecast maps an undefined value to -inf; an undefined fit is no better than any other here.
            if (double.IsNaN(mse) || Math.Abs(mse - NotAvailable) < 1e-7) mse = double.PositiveInfinity;
            return mse;
        };
        var (x, _) = BoundedNelderMead.Minimize(target, start, lower, upper);
        double level = x[0], alpha = x[1], theta = optTheta ? x[2] : 2.0;
        var errors = new double[y.Length];
        var states = new double[y.Length][];
        double value = Calc(y, type, level, alpha, theta, errors, states);
        if (Math.Abs(value - NotAvailable) < 1e-7) value = double.NaN;
        return new Fitted(type, level, alpha, theta, value, errors, states);
    }

    /// <summary>init_state: (ℓ, mean, A, B, μ) before the second observation.</summary>
    private static double[] InitialState(double[] y, ModelType type, double level, double alpha, double theta)
    {
        double an, bn, mu;
        if (Dynamic(type))
        {
            an = y[0];
            bn = 0;
            mu = y[0];
        }
        else
        {
            int n = y.Length;
            double mean = 0, weighted = 0;
            for (int i = 0; i < n; i++)
            {
                mean += y[i];
                weighted += y[i] * (i + 1);
            }
            mean /= n;
            weighted /= n;
            bn = 6 * (2 * weighted - (n + 1) * mean) / ((double)n * n - 1);
            an = mean - (n + 1) * bn / 2;
            mu = level + (1 - 1 / theta) * (an + bn);
        }
        return [alpha * y[0] + (1 - alpha) * level, y[0], an, bn, mu];
    }

    /// <summary>update: the state at step i from the one before (with μ as the observation when forecasting).</summary>
    private static double[] Update(double[] previous, int i, ModelType type, double alpha, double theta, double y, bool useMu)
    {
        double level = previous[0], meanY = previous[1], an = previous[2], bn = previous[3];
        var s = new double[5];
        s[4] = level + (1 - 1 / theta) * (an * Math.Pow(1 - alpha, i) + bn * (1 - Math.Pow(1 - alpha, i + 1)) / alpha);
        if (useMu) y = s[4];
        s[0] = alpha * y + (1 - alpha) * level;
        s[1] = (i * meanY + y) / (i + 1);
        if (Dynamic(type))
        {
            s[3] = ((i - 1) * bn + 6 * (y - meanY) / (i + 1)) / (i + 2);
            s[2] = s[1] - s[3] * (i + 2) / 2;
        }
        else
        {
            s[2] = an;
            s[3] = bn;
        }
        return s;
    }

    /// <summary>calc: one-step errors over the sample; returns Σ_{t≥3} e² / mean|y|.</summary>
    private static double Calc(double[] y, ModelType type, double level, double alpha, double theta, double[] e, double[][]? states)
    {
        int n = y.Length;
        var state = InitialState(y, type, level, alpha, theta);
        if (states is not null) states[0] = state;
        e[0] = y[0] - state[4];
        for (int i = 1; i < n; i++)
        {
            // The one-step forecast is the next state's mu.
            var next = Update(state, i, type, alpha, theta, 0, useMu: true);
            double f = next[4];
            if (Math.Abs(f - NotAvailable) < Tol) return NotAvailable;
            e[i] = y[i] - f;
            state = Update(state, i, type, alpha, theta, y[i], useMu: false);
            if (states is not null) states[i] = state;
        }
        double meanAbs = 0;
        foreach (double v in y) meanAbs += Math.Abs(v);
        meanAbs /= n;
        if (meanAbs < Tol) meanAbs = Tol;
        double sum = 0;
        for (int i = 3; i < n; i++) sum += e[i] * e[i];
        return sum / meanAbs;
    }

    /// <summary>compute_pi_samples: paths with normal errors, the trend updated dynamically as statsforecast does.</summary>
    private static double[][] SamplePaths(int n, int h, double[] last, double sigma, double alpha, double theta, double meanY)
    {
        var rng = new Random(0);
        var paths = new double[h][];
        for (int j = 0; j < h; j++) paths[j] = new double[Samples];
        for (int s = 0; s < Samples; s++)
        {
            double smoothed = last[0], a = last[2], b = last[3], mean = meanY;
            for (int i = n; i < n + h; i++)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                double error = sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
                double sample = smoothed + (1 - 1 / theta) * (a * Math.Pow(1 - alpha, i) + b * (1 - Math.Pow(1 - alpha, i + 1)) / alpha) + error;
                paths[i - n][s] = sample;
                smoothed = alpha * sample + (1 - alpha) * smoothed;
                mean = (i * mean + sample) / (i + 1);
                b = ((i - 1) * b + 6 * (sample - mean) / (i + 1)) / (i + 2);
                a = mean - b * (i + 2) / 2;
            }
        }
        foreach (var p in paths) Array.Sort(p);
        return paths;
    }

    /// <summary>numpy's default (linear) quantile of sorted values.</summary>
    private static double QuantileLinear(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double StandardDeviation(double[] x)
    {
        if (x.Length < 2) return 0;
        double mean = x.Average();
        double ss = 0;
        foreach (double v in x) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / (x.Length - 1));
    }
}
