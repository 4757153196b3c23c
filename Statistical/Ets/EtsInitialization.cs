using Forecast.Statistical.Decomposition;
using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Ets;

/// <summary>
/// Where R forecast's <c>ets()</c> starts the optimiser (ets.R: <c>initparam</c>, <c>initstate</c>): smoothing
/// parameters a fixed fraction into their ranges, the level/trend from a regression on the first seasonally adjusted
/// values, the seasonal states from a classical decomposition (or a Fourier regression for fewer than three seasons).
/// </summary>
internal static class EtsInitialization
{
    /// <summary>initparam: (α, β?, γ?, φ?) for the estimated parameters, in that order.</summary>
    public static List<double> Parameters(int trend, int season, bool damped, double[] lower, double[] upper, int m, EtsBounds bounds)
    {
        lower = (double[])lower.Clone();
        upper = (double[])upper.Clone();
        if (bounds == EtsBounds.Admissible)
        {
            for (int i = 0; i < 3; i++)
            {
                lower[i] = 0;
                upper[i] = 1e-3;
            }
        }
        else if (lower.Zip(upper).Any(p => p.First > p.Second))
        {
            throw new ArgumentException("Inconsistent parameter boundaries.");
        }

        var par = new List<double>(4);
        double alpha = lower[0] + 0.2 * (upper[0] - lower[0]) / m;
        if (alpha > 1 || alpha < 0) alpha = lower[0] + 2e-3;
        par.Add(alpha);

        if (trend != EtsRecursions.None)
        {
            upper[1] = Math.Min(upper[1], alpha); // beta < alpha
            double beta = lower[1] + 0.1 * (upper[1] - lower[1]);
            if (beta < 0 || beta > alpha) beta = alpha - 1e-3;
            par.Add(beta);
        }
        if (season != EtsRecursions.None)
        {
            upper[2] = Math.Min(upper[2], 1 - alpha); // gamma < 1 - alpha
            double gamma = lower[2] + 0.05 * (upper[2] - lower[2]);
            if (gamma < 0 || gamma > 1 - alpha) gamma = 1 - alpha - 1e-3;
            par.Add(gamma);
        }
        if (damped)
        {
            double phi = lower[3] + 0.99 * (upper[3] - lower[3]);
            if (phi < 0 || phi > 1) phi = upper[3] - 1e-3;
            par.Add(phi);
        }
        return par;
    }

    /// <summary>
    /// initstate: (l0, b0?, s0..s_{m−2}) — the last seasonal state is implied. <paramref name="m"/> is the series'
    /// season length (used only when <paramref name="season"/> is not None).
    /// </summary>
    public static List<double> States(double[] y, int trend, int season, int m)
    {
        int n = y.Length;
        double[] ysa;
        var state = new List<double>();
        double[]? initSeas = null;
        if (season != EtsRecursions.None)
        {
            if (n < 4) throw new ArgumentException("Not enough data for a seasonal model.");
            double[] seasonal;
            if (n < 3 * m)
            {
                // Fewer than three seasons: a simple Fourier model, y ~ trend + sin/cos(2πt/m) (R: tslm(y ~ trend + fourier(y, 1))).
                var (intercept, slope) = FourierTrend(y, m);
                seasonal = new double[n];
                for (int t = 0; t < n; t++)
                {
                    double fit = intercept + slope * (t + 1);
                    seasonal[t] = season == EtsRecursions.Add ? y[t] - fit : y[t] / fit;
                }
            }
            else
            {
                seasonal = ClassicalDecomposition.Seasonal(y, m, season == EtsRecursions.Mult);
            }

            initSeas = new double[m - 1];
            for (int i = 0; i < m - 1; i++) initSeas[i] = seasonal[m - 1 - i]; // rev(seasonal[2:m])
            ysa = new double[n];
            if (season == EtsRecursions.Add)
            {
                for (int t = 0; t < n; t++) ysa[t] = y[t] - seasonal[t];
            }
            else
            {
                for (int i = 0; i < initSeas.Length; i++) initSeas[i] = Math.Max(initSeas[i], 1e-2);
                double sum = AccurateSum.Sum(initSeas);
                if (sum > m)
                {
                    var plus = initSeas.Select(v => v + 1e-2).ToArray();
                    double denominator = AccurateSum.Sum(plus);
                    for (int i = 0; i < initSeas.Length; i++) initSeas[i] /= denominator;
                }
                for (int t = 0; t < n; t++) ysa[t] = y[t] / Math.Max(seasonal[t], 1e-2);
            }
        }
        else
        {
            m = 1;
            ysa = y;
        }

        int maxn = Math.Min(Math.Max(10, 2 * m), ysa.Length);
        if (trend == EtsRecursions.None)
        {
            state.Add(AccurateSum.Mean(ysa.AsSpan(0, maxn)));
        }
        else
        {
            var index = new double[maxn];
            for (int i = 0; i < maxn; i++) index[i] = i + 1;
            var (a, b) = LeastSquares.Line(index, ysa.AsSpan(0, maxn));
            double l0, b0;
            if (trend == EtsRecursions.Add)
            {
                l0 = a;
                b0 = b;
                // With multiplicative errors l0 + b0 must not be 0: perturb just in case.
                if (Math.Abs(l0 + b0) < 1e-8)
                {
                    l0 *= 1 + 1e-3;
                    b0 *= 1 - 1e-3;
                }
            }
            else
            {
                l0 = a + b; // first fitted value
                if (Math.Abs(l0) < 1e-8) l0 = 1e-7;
                b0 = (a + 2 * b) / l0; // ratio of the first two fitted values
                l0 /= b0;
                if (Math.Abs(b0) > 1e10) b0 = Math.Sign(b0) * 1e10;
                if (l0 < 1e-8 || b0 < 1e-8)
                {
                    l0 = Math.Max(ysa[0], 1e-3);
                    b0 = Math.Max(ysa[1] / ysa[0], 1e-3);
                }
            }
            state.Add(l0);
            state.Add(b0);
        }
        if (initSeas is not null) state.AddRange(initSeas);
        return state;
    }

    /// <summary>Intercept and trend coefficient of y ~ 1 + t + sin(2πt/m) + cos(2πt/m), t = 1..n (sin dropped when m = 2).</summary>
    private static (double Intercept, double Slope) FourierTrend(double[] y, int m)
    {
        int n = y.Length;
        var ones = new double[n];
        var trend = new double[n];
        var sin = new double[n];
        var cos = new double[n];
        for (int t = 0; t < n; t++)
        {
            ones[t] = 1;
            trend[t] = t + 1;
            double angle = 2 * Math.PI * (t + 1) / m;
            sin[t] = Math.Sin(angle);
            cos[t] = Math.Cos(angle);
        }
        // forecast::fourier drops sine terms that are identically zero (2k = m).
        var columns = m == 2 ? new List<double[]> { ones, trend, cos } : [ones, trend, sin, cos];
        var b = LeastSquares.Fit(columns, y) ?? throw new ArgumentException("The Fourier regression for the initial states is singular.");
        return (b[0], b[1]);
    }
}
