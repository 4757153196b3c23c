namespace Forecast.Statistical.Ets;

/// <summary>
/// The ETS state recursions of R forecast's etscalc.c: the one-step forecasts and innovations over the sample
/// (<c>etscalc</c>), the state update (<c>update</c>, one step of <see cref="OneStepLane"/>) and the point forecasts from
/// a state (<c>forecast</c>), with the
/// same guards (tiny divisors replaced by 1e10, the NA marker when a multiplicative trend turns negative). The
/// likelihood objective is n·log(Σe²) (+ 2·Σlog|ŷ| for multiplicative errors), as there.
/// </summary>
internal static partial class EtsRecursions
{
    public const int None = 0, Add = 1, Mult = 2;
    private const double Tol = 1.0e-10;
    private const double HugeN = 1.0e10;

    /// <summary>etscalc.c: <c>NA</c>, the marker for an undefined forecast.</summary>
    public const double NotAvailable = -99999.0;

    /// <summary>
    /// etscalc: runs the model over <paramref name="y"/> from the initial state <paramref name="x"/>[0..p), writing the
    /// state after each observation into row i+1 of <paramref name="x"/> (p = 1 + trend + m·season values per row),
    /// the innovations into <paramref name="e"/> and the average squared k-step errors into <paramref name="amse"/>.
    /// Returns the likelihood objective, or <see cref="NotAvailable"/> when a forecast is undefined.
    /// </summary>
    public static double Calculate(ReadOnlySpan<double> y, Span<double> x, int m, int error, int trend, int season,
        double alpha, double beta, double gamma, double phi, Span<double> e, Span<double> amse, int nmse)
    {
        int n = y.Length;
        if (m > 24 && season > None) return double.NaN;
        if (m < 1) m = 1;
        if (nmse > 30) nmse = 30;
        int nstates = m * (season > None ? 1 : 0) + 1 + (trend > None ? 1 : 0);
        int first = trend > None ? 2 : 1;

        // The seasonal states in a ring (the newest at head), as the one-step recursion keeps them; olds[j] is s[j].
        var lane = OneStepLane.For(error, trend, season);
        var step = new OneStep(alpha, beta, gamma, phi, m, false);
        Span<double> ring = stackalloc double[24];
        Span<double> olds = stackalloc double[24];
        Span<double> f = stackalloc double[30];
        Span<double> denom = stackalloc double[30];
        // forecast's damping sums φ* for the nmse horizons depend on φ alone: made once here instead of at every step
        // (they were two Math.Pow calls a step), the same calls in the same order, so the same values.
        Span<double> phistars = stackalloc double[30];
        DampingSums(phi, phistars[..nmse]);
        double l = x[0], b = trend > None ? x[1] : 0;
        int head = 0;
        if (season > None)
        {
            for (int j = 0; j < m; j++) ring[j] = x[first + j];
        }

        double lik = 0.0, lik2 = 0.0;
        for (int j = 0; j < nmse; j++)
        {
            amse[j] = 0.0;
            denom[j] = 0.0;
        }

        for (int i = 0; i < n; i++)
        {
            if (season > None) Unroll(ring, head, m, olds);
            Forecast(l, b, olds, m, trend, season, phistars, f, nmse);
            if (Math.Abs(f[0] - NotAvailable) < Tol) return NotAvailable;

            if (error == Add) e[i] = y[i] - f[0];
            else e[i] = (y[i] - f[0]) / f[0];
            for (int j = 0; j < nmse; j++)
            {
                if (i + j < n)
                {
                    denom[j] += 1.0;
                    double tmp = y[i + j] - f[j];
                    amse[j] = (amse[j] * (denom[j] - 1.0) + (tmp * tmp)) / denom[j];
                }
            }

            lane.Advance(y[i], step, ref l, ref b, ref head, ring);

            x[nstates * (i + 1)] = l;
            if (trend > None) x[nstates * (i + 1) + 1] = b;
            if (season > None) Unroll(ring, head, m, x.Slice(nstates * (i + 1) + first, m));
            lik += e[i] * e[i];
            lik2 += Math.Log(Math.Abs(f[0]));
        }
        lik = n * Math.Log(lik);
        if (error == Mult) lik += 2 * lik2;
        return lik;
    }

    /// <summary>The ring's seasonal states from the newest (at <paramref name="head"/>) to the oldest into <paramref name="olds"/>.</summary>
    private static void Unroll(ReadOnlySpan<double> ring, int head, int m, Span<double> olds)
    {
        // ring[(head + j) % m] without a division per state.
        ring[head..m].CopyTo(olds);
        ring[..head].CopyTo(olds[(m - head)..]);
    }

    /// <summary>forecast's φ* for horizons 1..h: φ, then φ* + φ^(i+1) (φ* + 1 when φ is 1 within 1e-10).</summary>
    private static void DampingSums(double phi, Span<double> phistars)
    {
        double phistar = phi;
        for (int i = 0; i < phistars.Length; i++)
        {
            phistars[i] = phistar;
            if (i < phistars.Length - 1)
            {
                if (Math.Abs(phi - 1.0) < Tol) phistar = phistar + 1.0;
                else phistar = phistar + Math.Pow(phi, i + 1);
            }
        }
    }

    /// <summary>forecast: h point forecasts from level l, growth b and seasonal states s (s[m−1] is the oldest).</summary>
    public static void Forecast(double l, double b, ReadOnlySpan<double> s, int m, int trend, int season, double phi, Span<double> f, int h)
    {
        Span<double> phistars = h <= 64 ? stackalloc double[h] : new double[h];
        DampingSums(phi, phistars);
        Forecast(l, b, s, m, trend, season, phistars, f, h);
    }

    /// <summary><see cref="Forecast(double, double, ReadOnlySpan{double}, int, int, int, double, Span{double}, int)"/> with φ* made (<see cref="DampingSums"/>).</summary>
    private static void Forecast(double l, double b, ReadOnlySpan<double> s, int m, int trend, int season, ReadOnlySpan<double> phistars, Span<double> f, int h)
    {
        for (int i = 0; i < h; i++)
        {
            double phistar = phistars[i];
            if (trend == None) f[i] = l;
            else if (trend == Add) f[i] = l + phistar * b;
            else if (b < 0) f[i] = NotAvailable;
            else f[i] = l * Math.Pow(b, phistar);
            int j = m - 1 - i;
            while (j < 0) j += m;
            if (season == Add) f[i] = f[i] + s[j];
            else if (season == Mult) f[i] = f[i] * s[j];
        }
    }
}
