namespace Forecast.Statistical.Ets;

/// <summary>
/// The ETS state recursions of R forecast's etscalc.c: the one-step forecasts and innovations over the sample
/// (<c>etscalc</c>), the state update (<c>update</c>) and the point forecasts from a state (<c>forecast</c>), with the
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

        Span<double> s = stackalloc double[24];
        Span<double> olds = stackalloc double[24];
        Span<double> f = stackalloc double[30];
        Span<double> denom = stackalloc double[30];
        double l = x[0], b = 0;
        if (trend > None) b = x[1];
        if (season > None)
        {
            for (int j = 0; j < m; j++) s[j] = x[(trend > None ? 1 : 0) + j + 1];
        }

        double lik = 0.0, lik2 = 0.0;
        for (int j = 0; j < nmse; j++)
        {
            amse[j] = 0.0;
            denom[j] = 0.0;
        }

        for (int i = 0; i < n; i++)
        {
            double oldl = l, oldb = b;
            if (season > None) s[..m].CopyTo(olds);

            Forecast(oldl, oldb, olds, m, trend, season, phi, f, nmse);
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

            Update(oldl, ref l, oldb, ref b, olds, s, m, trend, season, alpha, beta, gamma, phi, y[i]);

            x[nstates * (i + 1)] = l;
            if (trend > None) x[nstates * (i + 1) + 1] = b;
            if (season > None)
            {
                for (int j = 0; j < m; j++) x[(trend > None ? 1 : 0) + nstates * (i + 1) + j + 1] = s[j];
            }
            lik += e[i] * e[i];
            lik2 += Math.Log(Math.Abs(f[0]));
        }
        lik = n * Math.Log(lik);
        if (error == Mult) lik += 2 * lik2;
        return lik;
    }

    /// <summary>
    /// The objective of <see cref="Calculate"/> without keeping the state history, for the optimiser: the same
    /// arithmetic in the same order (so the same values; for one-step criteria with multiplicative errors Σ log|ŷ| is
    /// the log of a product, equal to rounding), with the seasonal states in a ring instead of shifted each step, and the k-step errors only for the <paramref name="horizons"/> the criterion needs (1 for
    /// MSE, nmse for AMSE; 0 for the likelihood alone, which then neither stores the innovations in <paramref name="e"/> nor
    /// keeps the running mean squared error, whose division per step was the longest chain of dependent operations of
    /// the forms without trend). <paramref name="ring"/> needs m elements.
    /// </summary>
    public static double Objective(ReadOnlySpan<double> y, ReadOnlySpan<double> init, int m, int error, int trend, int season,
        double alpha, double beta, double gamma, double phi, Span<double> e, Span<double> amse, int horizons, Span<double> ring)
    {
        if (horizons <= 1 && !(m > 24 && season > None))
        {
            var p = new OneStep(alpha, beta, gamma, phi, m < 1 ? 1 : m, horizons == 1);
            return OneStepLane.For(error, trend, season).Run(y, init, p, e, amse, ring);
        }
        int n = y.Length;
        if (m > 24 && season > None) return double.NaN;
        if (m < 1) m = 1;
        horizons = Math.Clamp(horizons, 1, 30);
        Span<double> f = stackalloc double[30];
        Span<double> denom = stackalloc double[30];
        double l = init[0], b = 0;
        if (trend > None) b = init[1];
        int head = 0;
        if (season > None)
        {
            for (int j = 0; j < m; j++) ring[j] = init[(trend > None ? 1 : 0) + j + 1];
        }
        for (int j = 0; j < horizons; j++)
        {
            amse[j] = 0.0;
            denom[j] = 0.0;
        }
        bool dampedSteps = Math.Abs(phi - 1.0) >= Tol;
        double lik = 0.0, lik2 = 0.0;
        for (int i = 0; i < n; i++)
        {
            double oldl = l, oldb = b;
            // forecast(): h = horizons steps from (l, b, s).
            double phistar = phi;
            for (int k = 0; k < horizons; k++)
            {
                double fk;
                if (trend == None) fk = oldl;
                else if (trend == Add) fk = oldl + phistar * oldb;
                else if (oldb < 0) fk = NotAvailable;
                else fk = oldl * Math.Pow(oldb, phistar);
                if (season > None)
                {
                    int j = m - 1 - k;
                    while (j < 0) j += m;
                    double sj = ring[(head + j) % m];
                    if (season == Add) fk += sj;
                    else fk *= sj;
                }
                f[k] = fk;
                if (k < horizons - 1)
                {
                    if (!dampedSteps) phistar = phistar + 1.0;
                    else phistar = phistar + Math.Pow(phi, k + 1);
                }
            }
            if (Math.Abs(f[0] - NotAvailable) < Tol) return NotAvailable;

            double ei = error == Add ? y[i] - f[0] : (y[i] - f[0]) / f[0];
            e[i] = ei;
            for (int j = 0; j < horizons; j++)
            {
                if (i + j < n)
                {
                    denom[j] += 1.0;
                    double tmp = y[i + j] - f[j];
                    amse[j] = (amse[j] * (denom[j] - 1.0) + (tmp * tmp)) / denom[j];
                }
            }

            // update(): level, growth, and the oldest seasonal state replaced by the newest.
            double q, phib;
            if (trend == None)
            {
                q = oldl;
                phib = 0;
            }
            else if (trend == Add)
            {
                phib = phi * oldb;
                q = oldl + phib;
            }
            else if (!dampedSteps)
            {
                phib = oldb;
                q = oldl * oldb;
            }
            else
            {
                phib = Math.Pow(oldb, phi);
                q = oldl * phib;
            }
            int oldest = (head + m - 1) % m;
            double sOld = season > None ? ring[oldest] : 0;
            double p;
            if (season == None) p = y[i];
            else if (season == Add) p = y[i] - sOld;
            else if (Math.Abs(sOld) < Tol) p = HugeN;
            else p = y[i] / sOld;
            l = q + alpha * (p - q);
            if (trend > None)
            {
                double r;
                if (trend == Add) r = l - oldl;
                else if (Math.Abs(oldl) < Tol) r = HugeN;
                else r = l / oldl;
                b = phib + (beta / alpha) * (r - phib);
            }
            if (season > None)
            {
                double t;
                if (season == Add) t = y[i] - q;
                else if (Math.Abs(q) < Tol) t = HugeN;
                else t = y[i] / q;
                ring[oldest] = sOld + gamma * (t - sOld);
                head = oldest;
            }
            lik += ei * ei;
            lik2 += Math.Log(Math.Abs(f[0]));
        }
        lik = n * Math.Log(lik);
        if (error == Mult) lik += 2 * lik2;
        return lik;
    }

    /// <summary>forecast: h point forecasts from level l, growth b and seasonal states s (s[m−1] is the oldest).</summary>
    public static void Forecast(double l, double b, ReadOnlySpan<double> s, int m, int trend, int season, double phi, Span<double> f, int h)
    {
        double phistar = phi;
        for (int i = 0; i < h; i++)
        {
            if (trend == None) f[i] = l;
            else if (trend == Add) f[i] = l + phistar * b;
            else if (b < 0) f[i] = NotAvailable;
            else f[i] = l * Math.Pow(b, phistar);
            int j = m - 1 - i;
            while (j < 0) j += m;
            if (season == Add) f[i] = f[i] + s[j];
            else if (season == Mult) f[i] = f[i] * s[j];
            if (i < h - 1)
            {
                if (Math.Abs(phi - 1.0) < Tol) phistar = phistar + 1.0;
                else phistar = phistar + Math.Pow(phi, i + 1);
            }
        }
    }

    /// <summary>update: the state after observing <paramref name="y"/>.</summary>
    public static void Update(double oldl, ref double l, double oldb, ref double b, ReadOnlySpan<double> olds, Span<double> s,
        int m, int trend, int season, double alpha, double beta, double gamma, double phi, double y)
    {
        double q, phib;
        if (trend == None)
        {
            q = oldl;
            phib = 0;
        }
        else if (trend == Add)
        {
            phib = phi * oldb;
            q = oldl + phib;
        }
        else if (Math.Abs(phi - 1.0) < Tol)
        {
            phib = oldb;
            q = oldl * oldb;
        }
        else
        {
            phib = Math.Pow(oldb, phi);
            q = oldl * phib;
        }

        double p;
        if (season == None) p = y;
        else if (season == Add) p = y - olds[m - 1];
        else if (Math.Abs(olds[m - 1]) < Tol) p = HugeN;
        else p = y / olds[m - 1];
        l = q + alpha * (p - q);

        if (trend > None)
        {
            double r;
            if (trend == Add) r = l - oldl;
            else if (Math.Abs(oldl) < Tol) r = HugeN;
            else r = l / oldl;
            b = phib + (beta / alpha) * (r - phib);
        }

        if (season > None)
        {
            double t;
            if (season == Add) t = y - q;
            else if (Math.Abs(q) < Tol) t = HugeN;
            else t = y / q;
            s[0] = olds[m - 1] + gamma * (t - olds[m - 1]);
            for (int j = 1; j < m; j++) s[j] = olds[j - 1];
        }
    }
}
