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
    /// the standardised innovations v/√F when <paramref name="residuals"/> is given (NaN where y is missing).
    /// </summary>
    public static (double Ssq, double SumLog, int Count) Likelihood(ReadOnlySpan<double> y, ArimaStateSpace model, double[]? residuals)
    {
        var phi = model.Phi;
        var theta = model.Theta;
        var delta = model.Delta;
        int n = y.Length, rd = model.Dimension, p = phi.Length, q = theta.Length, d = delta.Length, r = rd - d;
        var a = model.A;
        var pm = model.P;
        var pnew = model.Pn;
        double sumlog = 0, ssq = 0;
        int nu = 0;
        var anew = new double[rd];
        var mv = new double[rd];
        var mm = d > 0 ? new double[rd * rd] : null;

        for (int l = 0; l < n; l++)
        {
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
            if (l > 0)
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
                }
                else
                {
                    // mm = T P
                    for (int i = 0; i < r; i++)
                        for (int j = 0; j < rd; j++)
                        {
                            double tmp = 0.0;
                            if (i < p) tmp += phi[i] * pm[rd * j];
                            if (i < r - 1) tmp += pm[i + 1 + rd * j];
                            mm![i + rd * j] = tmp;
                        }
                    for (int j = 0; j < rd; j++)
                    {
                        double tmp = pm[rd * j];
                        for (int k = 0; k < d; k++) tmp += delta[k] * pm[r + k + rd * j];
                        mm![r + rd * j] = tmp;
                    }
                    for (int i = 1; i < d; i++)
                        for (int j = 0; j < rd; j++) mm![r + i + rd * j] = pm[r + i - 1 + rd * j];

                    // Pnew = mm T'
                    for (int i = 0; i < r; i++)
                        for (int j = 0; j < rd; j++)
                        {
                            double tmp = 0.0;
                            if (i < p) tmp += phi[i] * mm![j];
                            if (i < r - 1) tmp += mm![rd * (i + 1) + j];
                            pnew[j + rd * i] = tmp;
                        }
                    for (int j = 0; j < rd; j++)
                    {
                        double tmp = mm![j];
                        for (int k = 0; k < d; k++) tmp += delta[k] * mm[rd * (r + k) + j];
                        pnew[rd * r + j] = tmp;
                    }
                    for (int i = 1; i < d; i++)
                        for (int j = 0; j < rd; j++) pnew[rd * (r + i) + j] = mm![rd * (r + i - 1) + j];
                    // Pnew += (1, theta) (1, theta)'
                    for (int i = 0; i <= q; i++)
                    {
                        double vi = i == 0 ? 1.0 : theta[i - 1];
                        for (int j = 0; j <= q; j++) pnew[i + rd * j] += vi * (j == 0 ? 1.0 : theta[j - 1]);
                    }
                }
            }
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
                for (int i = 0; i < rd; i++)
                    for (int j = 0; j < rd; j++) pm[i + j * rd] = pnew[i + j * rd] - mv[i] * mv[j] / gain;
            }
            else
            {
                for (int i = 0; i < rd; i++) a[i] = anew[i];
                for (int i = 0; i < rd * rd; i++) pm[i] = pnew[i];
                if (residuals is not null) residuals[l] = double.NaN;
            }
        }
        return (ssq, sumlog, nu);
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
