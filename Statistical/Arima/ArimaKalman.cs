namespace Forecast.Statistical.Arima;

/// <summary>
/// The exact Gaussian likelihood of an ARIMA model by the Kalman filter, as stats::arima computes it (arima.c:
/// <c>ARIMA_Like</c>, <c>KalmanFore</c>, <c>getQ0</c> after Gardner, Harvey and Phillips 1980, AS 154), and the
/// conditional sum of squares it starts from (<c>ARIMA_CSS</c>). The loops keep R's order of operations.
/// </summary>
internal static class ArimaKalman
{
    /// <summary>
    /// ARIMA_Like with useUp = 0: (Σ v²/F, Σ log F, number of terms) over the observations whose gain F &lt; 1e4, and
    /// the standardised innovations v/√F when <paramref name="residuals"/> is given (NaN where y is missing). The
    /// model's state and covariance are left at their filtered values, as R's C code leaves them.
    /// </summary>
    /// <remarks>
    /// Steady state: the covariance recursion does not depend on the data, and in floating point P settles into a
    /// fixed point or a 2-cycle, or keeps wandering in its last bits. Once an observed step reproduces the P of one or
    /// two steps before exactly, or changes it by less than 1e-14 of the predicted covariance, every later observed
    /// step is taken to repeat the same (M, gain) pattern, and only the state is updated (R's arithmetic) until a
    /// missing value breaks the pattern. For an exact repeat the result is R's bit for bit; otherwise it differs by
    /// about that tolerance.
    /// </remarks>
    public static (double Ssq, double SumLog, int Count) Likelihood(ReadOnlySpan<double> y, ArimaStateSpace model, double[]? residuals,
        KalmanWorkspace? workspace = null)
    {
        var phi = model.Phi;
        var theta = model.Theta;
        var delta = model.Delta;
        int n = y.Length, rd = model.Dimension, p = phi.Length, q = theta.Length, d = delta.Length, r = rd - d;
        int size = rd * rd;
        var w = workspace is not null && workspace.Dimension == rd ? workspace : new KalmanWorkspace(rd);
        var a = model.A;
        var pnew = model.Pn;
        var anew = w.ANew;
        var mv = w.M;
        var mm = w.Mm;
        // P lives in one of three buffers: the current one, the one before, and the one the next P is written to.
        var buffers = w.P;
        int cur = 0, prev = 1, spare = 2;
        Array.Copy(model.P, buffers[cur], size);
        double sumlog = 0, ssq = 0;
        int nu = 0;
        double g1 = 0;
        int history = 0;
        bool steady = false;
        int phase = 0;

        for (int l = 0; l < n; l++)
        {
            // anew = T a
            for (int i = 0; i < r; i++)
            {
                double tmp = i < r - 1 ? a[i + 1] : 0.0;
                if (i < p) tmp += phi[i] * a[0];
                anew[i] = tmp;
            }
            if (d > 0)
            {
                for (int i = r + 1; i < rd; i++) anew[i] = a[i - 1];
                double tmp = a[0];
                for (int i = 0; i < d; i++) tmp += delta[i] * a[r + i];
                anew[r] = tmp;
            }
            if (steady)
            {
                if (!double.IsNaN(y[l]))
                {
                    double sresid = y[l] - anew[0];
                    for (int i = 0; i < d; i++) sresid -= delta[i] * anew[r + i];
                    double sgain = w.SteadyGain[phase];
                    var sm = w.SteadyM[phase];
                    if (sgain < 1e4)
                    {
                        nu++;
                        ssq += sresid * sresid / sgain;
                        sumlog += w.SteadyLog[phase];
                    }
                    if (residuals is not null) residuals[l] = sresid / Math.Sqrt(sgain);
                    for (int i = 0; i < rd; i++) a[i] = anew[i] + sm[i] * sresid / sgain;
                    phase ^= 1;
                    continue;
                }
                // A missing value: P moves again, from the P the pattern has reached.
                Array.Copy(w.SteadyP[phase ^ 1], buffers[cur], size);
                steady = false;
                history = 0;
            }
            var pm = buffers[cur];
            if (l > 0) Predict(pm, pnew, mm, phi, theta, delta, r, rd, p, q, d);
            if (!double.IsNaN(y[l]))
            {
                double resid = y[l] - anew[0];
                for (int i = 0; i < d; i++) resid -= delta[i] * anew[r + i];
                for (int i = 0; i < rd; i++)
                {
                    double tmp = pnew[i];
                    for (int j = 0; j < d; j++) tmp += pnew[i + (r + j) * rd] * delta[j];
                    mv[i] = tmp;
                }
                double gain = mv[0];
                for (int j = 0; j < d; j++) gain += delta[j] * mv[r + j];
                if (gain < 1e4)
                {
                    nu++;
                    ssq += resid * resid / gain;
                    sumlog += Math.Log(gain);
                }
                if (residuals is not null) residuals[l] = resid / Math.Sqrt(gain);
                for (int i = 0; i < rd; i++) a[i] = anew[i] + mv[i] * resid / gain;

                var next = buffers[spare];
                var before = buffers[prev];
                bool fixedPoint = history >= 1, cycle = history >= 2;
                double change = 0, scale = 0;
                for (int j = 0; j < rd; j++)
                {
                    double mj = mv[j];
                    int col = j * rd;
                    for (int i = 0; i < rd; i++)
                    {
                        double value = pnew[i + col] - mv[i] * mj / gain;
                        double old = pm[i + col];
                        if (value != old)
                        {
                            fixedPoint = false;
                            change = Math.Max(change, Math.Abs(value - old));
                        }
                        if (value != before[i + col]) cycle = false;
                        scale = Math.Max(scale, Math.Abs(pnew[i + col]));
                        next[i + col] = value;
                    }
                }
                (prev, cur, spare) = (cur, spare, prev);
                if (!fixedPoint && !cycle && history >= 1 && change <= 1e-14 * scale) fixedPoint = true;
                if (fixedPoint || cycle)
                {
                    // The next step repeats step l-1 (2-cycle) or step l (fixed point); then they alternate.
                    steady = true;
                    phase = 0;
                    Array.Copy(fixedPoint ? mv : w.M1, w.SteadyM[0], rd);
                    Array.Copy(mv, w.SteadyM[1], rd);
                    w.SteadyGain[0] = fixedPoint ? gain : g1;
                    w.SteadyGain[1] = gain;
                    w.SteadyLog[0] = Math.Log(w.SteadyGain[0]);
                    w.SteadyLog[1] = Math.Log(gain);
                    Array.Copy(fixedPoint ? buffers[cur] : buffers[prev], w.SteadyP[0], size);
                    Array.Copy(buffers[cur], w.SteadyP[1], size);
                }
                else
                {
                    Array.Copy(mv, w.M1, rd);
                    g1 = gain;
                    history++;
                }
            }
            else
            {
                for (int i = 0; i < rd; i++) a[i] = anew[i];
                Array.Copy(pnew, buffers[spare], size);
                (prev, cur, spare) = (cur, spare, prev);
                if (residuals is not null) residuals[l] = double.NaN;
                history = 0;
            }
        }
        Array.Copy(steady ? w.SteadyP[phase ^ 1] : buffers[cur], model.P, size);
        return (ssq, sumlog, nu);
    }

    /// <summary>ARIMA_Like's prediction step: Pnew = T P T' + V, with T's companion and differencing structure.</summary>
    private static void Predict(double[] pm, double[] pnew, double[] mm, double[] phi, double[] theta, double[] delta,
        int r, int rd, int p, int q, int d)
    {
        if (d == 0)
        {
            for (int i = 0; i < r; i++)
            {
                double vi = 0.0;
                if (i == 0) vi = 1.0;
                else if (i - 1 < q) vi = theta[i - 1];
                for (int j = 0; j < r; j++)
                {
                    double tmp = 0.0;
                    if (j == 0) tmp = vi;
                    else if (j - 1 < q) tmp = vi * theta[j - 1];
                    if (i < p && j < p) tmp += phi[i] * phi[j] * pm[0];
                    if (i < r - 1 && j < r - 1) tmp += pm[i + 1 + r * (j + 1)];
                    if (i < p && j < r - 1) tmp += phi[i] * pm[j + 1];
                    if (j < p && i < r - 1) tmp += phi[j] * pm[i + 1];
                    pnew[i + r * j] = tmp;
                }
            }
            return;
        }
        // mm = T P
        for (int i = 0; i < r; i++)
            for (int j = 0; j < rd; j++)
            {
                double tmp = 0.0;
                if (i < p) tmp += phi[i] * pm[rd * j];
                if (i < r - 1) tmp += pm[i + 1 + rd * j];
                mm[i + rd * j] = tmp;
            }
        for (int j = 0; j < rd; j++)
        {
            double tmp = pm[rd * j];
            for (int k = 0; k < d; k++) tmp += delta[k] * pm[r + k + rd * j];
            mm[r + rd * j] = tmp;
        }
        for (int i = 1; i < d; i++)
            for (int j = 0; j < rd; j++) mm[r + i + rd * j] = pm[r + i - 1 + rd * j];

        // Pnew = mm T'
        for (int i = 0; i < r; i++)
            for (int j = 0; j < rd; j++)
            {
                double tmp = 0.0;
                if (i < p) tmp += phi[i] * mm[j];
                if (i < r - 1) tmp += mm[rd * (i + 1) + j];
                pnew[j + rd * i] = tmp;
            }
        for (int j = 0; j < rd; j++)
        {
            double tmp = mm[j];
            for (int k = 0; k < d; k++) tmp += delta[k] * mm[rd * (r + k) + j];
            pnew[rd * r + j] = tmp;
        }
        for (int i = 1; i < d; i++)
            for (int j = 0; j < rd; j++) pnew[rd * (r + i) + j] = mm[rd * (r + i - 1) + j];
        // Pnew += (1, theta) (1, theta)'
        for (int i = 0; i <= q; i++)
        {
            double vi = i == 0 ? 1.0 : theta[i - 1];
            for (int j = 0; j <= q; j++) pnew[i + rd * j] += vi * (j == 0 ? 1.0 : theta[j - 1]);
        }
    }

    /// <summary>
    /// KalmanFore (predict.Arima): forecasts and their variances (to be multiplied by σ²) for h steps from the filtered
    /// state. Works on copies; the model is not changed.
    /// </summary>
    public static (double[] Mean, double[] Variance) Forecast(ArimaStateSpace model, int h)
    {
        int rd = model.Dimension, r = model.R, d = model.Delta.Length;
        // Z = (1, 0, ..., 0, Delta); T as makeARIMA builds it; V = (1, theta, 0)(1, theta, 0)'.
        var z = new double[rd];
        z[0] = 1;
        for (int i = 0; i < d; i++) z[r + i] = model.Delta[i];
        var t = new double[rd * rd];
        for (int i = 0; i < model.Phi.Length; i++) t[i] = model.Phi[i]; // T[i, 0]
        for (int i = 1; i < r; i++) t[(i - 1) + rd * i] = 1;
        if (d > 0)
        {
            for (int j = 0; j < rd; j++) t[r + rd * j] = z[j];
            for (int i = 1; i < d; i++) t[(r + i) + rd * (r + i - 1)] = 1;
        }
        var rv = new double[rd];
        rv[0] = 1;
        for (int i = 0; i < model.Theta.Length; i++) rv[1 + i] = model.Theta[i];
        var v = new double[rd * rd];
        for (int i = 0; i < rd; i++)
            for (int j = 0; j < rd; j++) v[i + rd * j] = rv[i] * rv[j];

        var a = (double[])model.A.Clone();
        var pm = (double[])model.P.Clone();
        var anew = new double[rd];
        var pnew = new double[rd * rd];
        var mm = new double[rd * rd];
        var forecasts = new double[h];
        var variances = new double[h];
        for (int l = 0; l < h; l++)
        {
            double fc = 0.0;
            for (int i = 0; i < rd; i++)
            {
                double tmp = 0.0;
                for (int k = 0; k < rd; k++) tmp += t[i + rd * k] * a[k];
                anew[i] = tmp;
                fc += tmp * z[i];
            }
            for (int i = 0; i < rd; i++) a[i] = anew[i];
            forecasts[l] = fc;
            for (int i = 0; i < rd; i++)
                for (int j = 0; j < rd; j++)
                {
                    double tmp = 0.0;
                    for (int k = 0; k < rd; k++) tmp += t[i + rd * k] * pm[k + rd * j];
                    mm[i + rd * j] = tmp;
                }
            for (int i = 0; i < rd; i++)
                for (int j = 0; j < rd; j++)
                {
                    double tmp = v[i + rd * j];
                    for (int k = 0; k < rd; k++) tmp += mm[i + rd * k] * t[j + rd * k];
                    pnew[i + rd * j] = tmp;
                }
            double var = 0; // h = 0 for ARIMA
            for (int i = 0; i < rd; i++)
                for (int j = 0; j < rd; j++)
                {
                    pm[i + j * rd] = pnew[i + j * rd];
                    var += z[i] * z[j] * pm[i + j * rd];
                }
            variances[l] = var;
        }
        return (forecasts, variances);
    }

    /// <summary>
    /// ARIMA_CSS: the conditional sum of squares per term after differencing, conditioning on the first
    /// <paramref name="ncond"/> values; with <paramref name="residuals"/> the innovations (0 for the conditioning part).
    /// </summary>
    public static double ConditionalSumOfSquares(ReadOnlySpan<double> y, ArimaOrder arma, double[] phi, double[] theta, int ncond, double[]? residuals)
    {
        int n = y.Length, p = phi.Length, q = theta.Length;
        var w = y.ToArray();
        for (int i = 0; i < arma.D; i++)
            for (int l = n - 1; l > 0; l--) w[l] -= w[l - 1];
        int ns = arma.Period;
        for (int i = 0; i < arma.SeasonalD; i++)
            for (int l = n - 1; l >= ns; l--) w[l] -= w[l - ns];
        var resid = residuals ?? new double[n];
        if (residuals is not null)
            for (int l = 0; l < ncond; l++) resid[l] = 0;
        double ssq = 0.0;
        int nu = 0;
        for (int l = ncond; l < n; l++)
        {
            double tmp = w[l];
            for (int j = 0; j < p; j++) tmp -= phi[j] * w[l - j - 1];
            int jmax = Math.Min(l - ncond, q);
            for (int j = 0; j < jmax; j++) tmp -= theta[j] * resid[l - j - 1];
            resid[l] = tmp;
            if (!double.IsNaN(tmp))
            {
                nu++;
                ssq += tmp * tmp;
            }
        }
        return ssq / nu;
    }

    /// <summary>
    /// getQ0: the covariance of the initial ARMA state (Gardner, Harvey and Phillips 1980), solving the
    /// r(r+1)/2 equations of vec(P) = vec(T P T' + V) by AS 154's Givens-style regression (<c>inclu2</c>).
    /// Column-major r × r result.
    /// </summary>
    public static double[] Q0(double[] phi, double[] theta)
    {
        int p = phi.Length, q = theta.Length;
        int r = Math.Max(p, q + 1);
        long npLong = (long)r * (r + 1) / 2;
        if (r > 350) throw new ArgumentException("maximum supported lag is 350");
        int np = (int)npLong;
        long nrbar = npLong * (npLong - 1) / 2;
        var v = new double[np];
        int ind = 0;
        for (int j = 0; j < r; j++)
        {
            double vj = 0.0;
            if (j == 0) vj = 1.0;
            else if (j - 1 < q) vj = theta[j - 1];
            for (int i = j; i < r; i++)
            {
                double vi = 0.0;
                if (i == 0) vi = 1.0;
                else if (i - 1 < q) vi = theta[i - 1];
                v[ind++] = vi * vj;
            }
        }
        var res = new double[r * r];
        var pm = res; // P holds the packed solution first, then the full matrix
        if (r == 1)
        {
            pm[0] = p == 0 ? 1.0 : 1.0 / (1.0 - phi[0] * phi[0]);
            return res;
        }
        var packed = new double[Math.Max(np, r * r)];
        if (p > 0)
        {
            var rbar = new double[nrbar];
            var thetab = new double[np];
            var xnext = new double[np];
            var xrow = new double[np];
            ind = 0;
            int ind1 = -1;
            int npr = np - r;
            int npr1 = npr + 1;
            int indj = npr;
            int ind2 = npr - 1;
            for (int j = 0; j < r; j++)
            {
                double phij = j < p ? phi[j] : 0.0;
                xnext[indj++] = 0.0;
                int indi = npr1 + j;
                for (int i = j; i < r; i++)
                {
                    double ynext = v[ind++];
                    double phii = i < p ? phi[i] : 0.0;
                    if (j != r - 1)
                    {
                        xnext[indj] = -phii;
                        if (i != r - 1)
                        {
                            xnext[indi] -= phij;
                            xnext[++ind1] = -1.0;
                        }
                    }
                    xnext[npr] = -phii * phij;
                    if (++ind2 >= np) ind2 = 0;
                    xnext[ind2] += 1.0;
                    Include(np, xnext, xrow, ynext, packed, rbar, thetab);
                    xnext[ind2] = 0.0;
                    if (i != r - 1)
                    {
                        xnext[indi++] = 0.0;
                        xnext[ind1] = 0.0;
                    }
                }
            }

            long ithisr = nrbar - 1;
            int im = np - 1;
            for (int i = 0; i < np; i++)
            {
                double bi = thetab[im];
                int jm = np - 1;
                for (int j = 0; j < i; j++) bi -= rbar[ithisr--] * packed[jm--];
                packed[im--] = bi;
            }

            // Re-order p.
            ind = npr;
            for (int i = 0; i < r; i++) xnext[i] = packed[ind++];
            ind = np - 1;
            ind1 = npr - 1;
            for (int i = 0; i < npr; i++) packed[ind--] = packed[ind1--];
            for (int i = 0; i < r; i++) packed[i] = xnext[i];
        }
        else
        {
            // Back-substitution for a pure moving average.
            int indn = np;
            ind = np;
            for (int i = 0; i < r; i++)
                for (int j = 0; j <= i; j++)
                {
                    --ind;
                    packed[ind] = v[ind];
                    if (j != 0) packed[ind] += packed[--indn];
                }
        }
        // Unpack to a full matrix (in place, as R: P[r*i + j] = P[--ind] for the lower triangle, then mirror).
        Array.Copy(packed, pm, np);
        ind = np;
        for (int i = r - 1; i > 0; i--)
            for (int j = r - 1; j >= i; j--) pm[r * i + j] = pm[--ind];
        for (int i = 0; i < r - 1; i++)
            for (int j = i + 1; j < r; j++) pm[i + r * j] = pm[j + r * i];
        return res;
    }

    /// <summary>inclu2 (AS 154): updates d, rbar, thetab by the inclusion of xnext and ynext.</summary>
    private static void Include(int np, double[] xnext, double[] xrow, double ynext, double[] d, double[] rbar, double[] thetab)
    {
        Array.Copy(xnext, xrow, np);
        long ithisr = 0;
        for (int i = 0; i < np; i++)
        {
            if (xrow[i] != 0.0)
            {
                double xi = xrow[i];
                double di = d[i];
                double dpi = di + xi * xi;
                d[i] = dpi;
                double cbar = di / dpi;
                double sbar = xi / dpi;
                for (int k = i + 1; k < np; k++)
                {
                    double xk = xrow[k];
                    double rbthis = rbar[ithisr];
                    xrow[k] = xk - xi * rbthis;
                    rbar[ithisr++] = cbar * rbthis + sbar * xk;
                }
                double xk2 = ynext;
                ynext = xk2 - xi * thetab[i];
                thetab[i] = cbar * thetab[i] + sbar * xk2;
                if (di == 0.0) return;
            }
            else
            {
                ithisr = ithisr + np - i - 1;
            }
        }
    }
}
