using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

/// <summary>
/// The exact Gaussian likelihood of an ARIMA model by the Kalman filter, as stats::arima computes it (arima.c:
/// <c>ARIMA_Like</c>, <c>KalmanFore</c>, <c>getQ0</c> after Gardner, Harvey and Phillips 1980, AS 154), and the
/// conditional sum of squares it starts from (<c>ARIMA_CSS</c>). The loops keep R's order of operations.
/// </summary>
internal static partial class ArimaKalman
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Ssq, double SumLog, int Count) Likelihood(ReadOnlySpan<double> y, ArimaStateSpace model, double[]? residuals,
        KalmanWorkspace? workspace = null)
    {
        var phi = model.Phi;
        var theta = model.Theta;
        var delta = model.Delta;
        int n = y.Length, rd = model.Dimension, p = phi.Length, q = theta.Length, d = delta.Length, r = rd - d;
        int size = rd * rd;
        var w = workspace is not null && workspace.Dimension == rd ? workspace : new KalmanWorkspace(rd);
        w.Prepare(phi, theta, delta, r);
        var a = model.A;
        var pnew = model.Pn;
        var anew = w.ANew;
        var mv = w.M;
        var mm = w.Mm;
        // P lives in one of three buffers: the current one, the one before, and the one the next P is written to.
        var buffers = w.P;
        int cur = 0, prev = 1, spare = 2;
        model.P.AsSpan(0, size).CopyTo(buffers[cur]);
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
                w.SteadyP[phase ^ 1].AsSpan(0, size).CopyTo(buffers[cur]);
                steady = false;
                history = 0;
            }
            var pm = buffers[cur];
            if (l > 0) Predict(pm, pnew, mm, phi, theta, delta, r, rd, p, q, d, w);
            if (!double.IsNaN(y[l]))
            {
                double resid = y[l] - anew[0];
                for (int i = 0; i < d; i++) resid -= delta[i] * anew[r + i];
                // M = Pnew Z' (R sums the differencing columns in order; zero weights add nothing).
                pnew.AsSpan(0, rd).CopyTo(mv);
                foreach (int k in w.DeltaIndices)
                {
                    double dk = delta[k];
                    int offset = (r + k) * rd;
                    for (int i = 0; i < rd; i++) mv[i] += pnew[i + offset] * dk;
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
                var (same, cycle, change, scale) = UpdateCovariance(pnew, mv, gain, pm, before, next, rd, history >= 2);
                bool fixedPoint = history >= 1 && same;
                (prev, cur, spare) = (cur, spare, prev);
                // The steady-state shortcut is ours (R's filter updates P on every step), so it must not fire where |Pnew| is
                // infinite: any finite change is below 1e-14·∞.
                if (!fixedPoint && !cycle && history >= 1 && double.IsFinite(scale) && change <= 1e-14 * scale) fixedPoint = true;
                if (fixedPoint || cycle)
                {
                    // The next step repeats step l-1 (2-cycle) or step l (fixed point); then they alternate.
                    steady = true;
                    phase = 0;
                    (fixedPoint ? mv : w.M1).AsSpan(0, rd).CopyTo(w.SteadyM[0]);
                    mv.AsSpan(0, rd).CopyTo(w.SteadyM[1]);
                    w.SteadyGain[0] = fixedPoint ? gain : g1;
                    w.SteadyGain[1] = gain;
                    w.SteadyLog[0] = Math.Log(w.SteadyGain[0]);
                    w.SteadyLog[1] = Math.Log(gain);
                    (fixedPoint ? buffers[cur] : buffers[prev]).AsSpan(0, size).CopyTo(w.SteadyP[0]);
                    buffers[cur].AsSpan(0, size).CopyTo(w.SteadyP[1]);
                }
                else
                {
                    mv.AsSpan(0, rd).CopyTo(w.M1);
                    g1 = gain;
                    history++;
                }
            }
            else
            {
                for (int i = 0; i < rd; i++) a[i] = anew[i];
                pnew.AsSpan(0, size).CopyTo(buffers[spare]);
                (prev, cur, spare) = (cur, spare, prev);
                if (residuals is not null) residuals[l] = double.NaN;
                history = 0;
            }
        }
        (steady ? w.SteadyP[phase ^ 1] : buffers[cur]).AsSpan(0, size).CopyTo(model.P);
        return (ssq, sumlog, nu);
    }

    /// <summary>
    /// ARIMA_Like's prediction step, Pnew = T P T' + V, column by column: T's companion rows shift P (block copies),
    /// the nonzero AR coefficients and differencing weights add their columns, V adds the MA outer product. Terms R
    /// multiplies by a zero coefficient add ±0 there, which changes no value, so skipping them keeps R's results; each
    /// element is otherwise formed by R's operations in R's order (vector lanes compute the same IEEE operations).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Predict(double[] pm, double[] pnew, double[] mm, double[] phi, double[] theta, double[] delta,
        int r, int rd, int p, int q, int d, KalmanWorkspace w)
    {
        var phiIdx = w.PhiIndices;
        var deltaIdx = w.DeltaIndices;
        if (d == 0)
        {
            PredictStationary(pm, pnew, phi, theta, r, p, q, w);
            return;
        }
        // Pnew = (T P) T'. Column i of Pnew (i < r − 1) is column i + 1 of T P (+ phi_i times its column 0), column r
        // the differencing combination of its columns 0 and r + k, columns r + 1.. its columns r.. shifted: each column
        // of T P is formed where Pnew needs it (R forms T P whole first; each element is the same operations).
        var col0 = mm.AsSpan(0, rd);
        TransitionColumn(pm, 0, col0, phi, delta, r, d, phiIdx, deltaIdx);
        for (int i = 0; i < r; i++)
        {
            var target = pnew.AsSpan(rd * i, rd);
            bool hasPhi = i < p && phi[i] != 0;
            if (i < r - 1)
            {
                TransitionColumn(pm, i + 1, target, phi, delta, r, d, phiIdx, deltaIdx);
                if (hasPhi) MultiplyAdd(phi[i], col0, target, target);
            }
            else if (hasPhi)
            {
                Multiply(phi[i], col0, target);
            }
            else
            {
                target.Clear();
            }
        }
        var diffColumn = pnew.AsSpan(rd * r, rd);
        col0.CopyTo(diffColumn);
        foreach (int k in deltaIdx)
        {
            var column = mm.AsSpan(rd * (r + k), rd);
            TransitionColumn(pm, r + k, column, phi, delta, r, d, phiIdx, deltaIdx);
            AddScaled(delta[k], column, diffColumn);
        }
        for (int i = r + 1; i < rd; i++) TransitionColumn(pm, i - 1, pnew.AsSpan(rd * i, rd), phi, delta, r, d, phiIdx, deltaIdx);
        // Pnew += (1, theta)(1, theta)'.
        AddMaOuterProduct(pnew, theta, q, rd, w);
    }

    /// <summary>
    /// Column <paramref name="j"/> of T P into <paramref name="target"/>: rows 0..r−2 are P[i+1, j] (+ phi_i P[0, j]),
    /// row r − 1 phi_{r−1} P[0, j] or 0, row r P[0, j] + Σ delta_k P[r+k, j], rows r+1.. P[r+i−1, j] (ARIMA_Like's
    /// mm = T P, in its order of operations).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransitionColumn(double[] pm, int j, Span<double> target, double[] phi, double[] delta, int r, int d,
        int[] phiIdx, int[] deltaIdx)
    {
        int col = (r + d) * j;
        double p0 = pm[col];
        CopyShort(pm.AsSpan(col + 1, r - 1), target);
        target[r - 1] = 0.0;
        foreach (int i in phiIdx)
        {
            if (i < r - 1) target[i] = phi[i] * p0 + target[i];
            else target[i] = phi[i] * p0;
        }
        double tmp = p0;
        foreach (int k in deltaIdx) tmp += delta[k] * pm[r + k + col];
        target[r] = tmp;
        if (d > 1) CopyShort(pm.AsSpan(col + r, d - 1), target[(r + 1)..]);
    }

    /// <summary>
    /// A copy of a column's few dozen elements by vector moves in place (Span.CopyTo's Memmove call and its size
    /// dispatch cost as much as the copy here, twice per column of each moving step). The spans never overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(ReadOnlySpan<double> source, Span<double> target)
    {
        if (target.Length < source.Length) throw new ArgumentException("The target is shorter than the source.");
        ref double from = ref MemoryMarshal.GetReference(source);
        ref double to = ref MemoryMarshal.GetReference(target);
        int n = source.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4)
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref from, (nuint)i), ref to, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
    }

    /// <summary>The d = 0 branch of ARIMA_Like's prediction (an r × r ARMA state), vectorised over rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PredictStationary(double[] pm, double[] pnew, double[] phi, double[] theta, int r, int p, int q, KalmanWorkspace w)
    {
        // v = (1, theta, 0...) and phi padded with zeros to r.
        var v = w.V;
        var phiPad = w.PhiPadded;
        double p00 = pm[0];
        int width = System.Numerics.Vector<double>.Count;
        for (int j = 0; j < r; j++)
        {
            double vj = v[j];
            double phij = phiPad[j];
            bool jShift = j < r - 1;
            double pj1 = jShift ? pm[j + 1] : 0.0;
            var target = pnew.AsSpan(r * j, r);
            // Rows 0..r-2 vectorised (every term present); row r-1 without the shifted terms.
            int rows = r - 1;
            int i = 0;
            if (jShift)
            {
                var shifted = pm.AsSpan(1 + r * (j + 1), rows);
                var pCol0 = pm.AsSpan(1, rows);
                var vjv = new System.Numerics.Vector<double>(vj);
                for (; i <= rows - width; i += width)
                {
                    var vi = new System.Numerics.Vector<double>(v.AsSpan(i, width));
                    var phii = new System.Numerics.Vector<double>(phiPad.AsSpan(i, width));
                    var tmp = vi * vjv;
                    tmp += phii * new System.Numerics.Vector<double>(phij) * new System.Numerics.Vector<double>(p00);
                    tmp += new System.Numerics.Vector<double>(shifted.Slice(i, width));
                    tmp += phii * new System.Numerics.Vector<double>(pj1);
                    tmp += new System.Numerics.Vector<double>(phij) * new System.Numerics.Vector<double>(pCol0.Slice(i, width));
                    tmp.CopyTo(target.Slice(i, width));
                }
            }
            for (; i < r; i++)
            {
                double vi = v[i];
                double tmp = vi * vj;
                if (i < p && j < p) tmp += phi[i] * phi[j] * pm[0];
                if (i < r - 1 && j < r - 1) tmp += pm[i + 1 + r * (j + 1)];
                if (i < p && j < r - 1) tmp += phi[i] * pm[j + 1];
                if (j < p && i < r - 1) tmp += phi[j] * pm[i + 1];
                target[i] = tmp;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddMaOuterProduct(double[] pnew, double[] theta, int q, int rd, KalmanWorkspace w)
    {
        var idx = w.MaIndices;
        // (i, j) in {0} ∪ nonzero theta indices (+1): R adds vi·vj for every i, j ≤ q; zero terms change nothing.
        foreach (int i in idx)
        {
            double vi = i == 0 ? 1.0 : theta[i - 1];
            foreach (int j in idx) pnew[i + rd * j] += vi * (j == 0 ? 1.0 : theta[j - 1]);
        }
    }

    /// <summary>target = a·x + y elementwise (R's <c>a * x + y</c> per element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd(double a, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> target)
    {
        int width = System.Numerics.Vector<double>.Count, n = target.Length, i = 0;
        var av = new System.Numerics.Vector<double>(a);
        for (; i <= n - width; i += width)
            (av * new System.Numerics.Vector<double>(x.Slice(i, width)) + new System.Numerics.Vector<double>(y.Slice(i, width))).CopyTo(target.Slice(i, width));
        for (; i < n; i++) target[i] = a * x[i] + y[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(double a, ReadOnlySpan<double> x, Span<double> target)
    {
        for (int i = 0; i < target.Length; i++) target[i] = a * x[i];
    }

    /// <summary>target += a·x elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaled(double a, ReadOnlySpan<double> x, Span<double> target)
    {
        int width = System.Numerics.Vector<double>.Count, n = target.Length, i = 0;
        var av = new System.Numerics.Vector<double>(a);
        for (; i <= n - width; i += width)
            (new System.Numerics.Vector<double>(target.Slice(i, width)) + av * new System.Numerics.Vector<double>(x.Slice(i, width))).CopyTo(target.Slice(i, width));
        for (; i < n; i++) target[i] += a * x[i];
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ConditionalSumOfSquares(ReadOnlySpan<double> y, ArimaOrder arma, double[] phi, double[] theta, int ncond, double[]? residuals)
    {
        int n = y.Length, p = phi.Length, q = theta.Length;
        var buffers = q0Buffers ??= new Q0Buffers();
        if (buffers.Css.Length < n) buffers.Css = new double[n];
        var w = buffers.Css;
        y.CopyTo(w);
        Difference(w.AsSpan(0, n), arma.D, arma.SeasonalD, arma.Period);
        if (residuals is null && buffers.CssResiduals.Length < n) buffers.CssResiduals = new double[n];
        var resid = residuals ?? buffers.CssResiduals;
        if (residuals is not null)
            for (int l = 0; l < ncond; l++) resid[l] = 0;

        // Seasonal models expand to long coefficient vectors that are mostly zero (p + P·s AR terms, P + 1 of them
        // nonzero at most): R subtracts 0·w for each, which changes no finite value, so the terms are skipped. Should a
        // NaN or infinity appear (missing values, an exploding MA recursion), where 0·∞ would be NaN in R, the sum
        // is redone with every term.
        Span<int> arTerms = stackalloc int[p];
        Span<int> maTerms = stackalloc int[q];
        int nar = 0, nma = 0;
        for (int j = 0; j < p; j++) if (phi[j] != 0) arTerms[nar++] = j;
        for (int j = 0; j < q; j++) if (theta[j] != 0) maTerms[nma++] = j;
        arTerms = arTerms[..nar];
        maTerms = maTerms[..nma];
        // The AR part of every step (w[l] − Σ phi[j]·w[l − j − 1], its terms in order) reads only the differenced
        // series, so it is computed ahead, four steps per vector operation (CssArPart: the same multiplications and
        // subtractions, so the same bits), and the loop below carries only the MA recursion's chain.
        ReadOnlySpan<double> arPart = w;
        if (nar > 0 && Vector256.IsHardwareAccelerated)
        {
            if (buffers.CssArPart.Length < n) buffers.CssArPart = new double[n];
            if (buffers.CssArLags.Length != nar) (buffers.CssArLags, buffers.CssArCoefficients) = (new int[nar], new double[nar]);
            for (int t = 0; t < nar; t++) (buffers.CssArLags[t], buffers.CssArCoefficients[t]) = (arTerms[t], phi[arTerms[t]]);
            CssArPart(w, buffers.CssArCoefficients, buffers.CssArLags, ncond, n, buffers.CssArPart);
            arPart = buffers.CssArPart;
            arTerms = [];
        }
        double ssq = 0.0;
        int nu = 0;
        // The lag-one MA term reads the previous step's residual from a register (previous), not back from memory: the
        // same value, without a store and reload on the recursion's chain of dependent steps.
        bool lagOne = nma > 0 && maTerms[0] == 0;
        double previous = 0.0;
        for (int l = ncond; l < n; l++)
        {
            double tmp = arPart[l];
            foreach (int j in arTerms) tmp -= phi[j] * w[l - j - 1];
            int jmax = Math.Min(l - ncond, q);
            int first = 0;
            if (lagOne && jmax > 0)
            {
                tmp -= theta[0] * previous;
                first = 1;
            }
            for (int m = first; m < maTerms.Length; m++)
            {
                int j = maTerms[m];
                if (j >= jmax) break;
                tmp -= theta[j] * resid[l - j - 1];
            }
            resid[l] = tmp;
            previous = tmp;
            if (!double.IsNaN(tmp))
            {
                nu++;
                ssq += tmp * tmp;
            }
        }
        if (double.IsFinite(ssq) && nu == n - ncond) return ssq / nu;

        ssq = 0.0;
        nu = 0;
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
    /// <see cref="ConditionalSumOfSquares"/> (without residuals) for several coefficient sets at once, results[k] for
    /// lane k: the lanes' recursions run in one loop over time, so the processor overlaps their chains of dependent
    /// steps (a numerical gradient's 2·n evaluations). Each lane performs the single call's operations in its order,
    /// so each result is the single call's to the bit; lanes that meet a NaN or infinity are redone by it.
    /// Lanes given the same <paramref name="ys"/> array share its differencing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ConditionalSumOfSquaresBatch(double[][] ys, ArimaOrder arma, double[][] phis, double[][] thetas, int ncond, double[] results)
    {
        int lanes = ys.Length;
        int n = ys[0].Length;
        var buffers = q0Buffers ??= new Q0Buffers();
        while (buffers.Lanes.Count < 2 * lanes) buffers.Lanes.Add([]);
        var w = new double[lanes][];
        var resid = new double[lanes][];
        var arCoef = new double[lanes][];
        var arLag = new int[lanes][];
        var maCoef = new double[lanes][];
        var maLag = new int[lanes][];
        int q = thetas[0].Length;
        for (int k = 0; k < lanes; k++)
        {
            if (ys[k].Length != n || thetas[k].Length != q) throw new ArgumentException("The lanes differ in length.");
            if (k > 0 && ReferenceEquals(ys[k], ys[k - 1]))
            {
                w[k] = w[k - 1];
            }
            else
            {
                var wk = buffers.Lanes[2 * k];
                if (wk.Length < n) buffers.Lanes[2 * k] = wk = new double[n];
                ys[k].AsSpan().CopyTo(wk);
                Difference(wk.AsSpan(0, n), arma.D, arma.SeasonalD, arma.Period);
                w[k] = wk;
            }
            var rk = buffers.Lanes[2 * k + 1];
            if (rk.Length < n) buffers.Lanes[2 * k + 1] = rk = new double[n];
            resid[k] = rk;
            var phi = phis[k];
            var theta = thetas[k];
            (arLag[k], arCoef[k]) = NonZeroTerms(phi);
            (maLag[k], maCoef[k]) = NonZeroTerms(theta);
        }
        var ssq = new double[lanes];
        bool sameLags = true;
        for (int k = 1; k < lanes && sameLags; k++)
            sameLags = arLag[k].AsSpan().SequenceEqual(arLag[0]) && maLag[k].AsSpan().SequenceEqual(maLag[0]);
        if (sameLags && Vector256.IsHardwareAccelerated)
        {
            InterleavedCss(w, resid, arCoef, arLag[0], maCoef, maLag[0], n, q, ncond, ssq, buffers);
            for (int k = 0; k < lanes; k++)
                results[k] = double.IsFinite(ssq[k]) ? ssq[k] / (n - ncond) : ConditionalSumOfSquares(ys[k], arma, phis[k], thetas[k], ncond, null);
            return;
        }
        var nu = new int[lanes];
        for (int l = ncond; l < n; l++)
        {
            int jmax = Math.Min(l - ncond, q);
            for (int k = 0; k < lanes; k++)
            {
                var wk = w[k];
                var rk = resid[k];
                var ac = arCoef[k];
                var al = arLag[k];
                var mc = maCoef[k];
                var ml = maLag[k];
                double tmp = wk[l];
                for (int t = 0; t < al.Length; t++) tmp -= ac[t] * wk[l - al[t] - 1];
                for (int t = 0; t < ml.Length; t++)
                {
                    int j = ml[t];
                    if (j >= jmax) break;
                    tmp -= mc[t] * rk[l - j - 1];
                }
                rk[l] = tmp;
                if (!double.IsNaN(tmp))
                {
                    nu[k]++;
                    ssq[k] += tmp * tmp;
                }
            }
        }
        for (int k = 0; k < lanes; k++)
            results[k] = double.IsFinite(ssq[k]) && nu[k] == n - ncond
                ? ssq[k] / nu[k]
                : ConditionalSumOfSquares(ys[k], arma, phis[k], thetas[k], ncond, null);
    }

    /// <summary>The lags (0-based) of a coefficient vector's nonzero terms and those terms, in order.</summary>
    private static (int[] Lags, double[] Coefficients) NonZeroTerms(double[] coefficients)
    {
        int count = 0;
        foreach (double c in coefficients) if (c != 0) count++;
        var lags = new int[count];
        var values = new double[count];
        count = 0;
        for (int j = 0; j < coefficients.Length; j++)
        {
            if (coefficients[j] == 0) continue;
            lags[count] = j;
            values[count++] = coefficients[j];
        }
        return (lags, values);
    }

    /// <summary>
    /// The lanes of <see cref="ConditionalSumOfSquaresBatch"/> when they share their nonzero lags: series and residuals
    /// stored time-major with the lanes side by side, four lanes per vector operation (each lane's multiplications and
    /// subtractions in the single call's order; no fused multiply-add), the AR part of every step computed ahead
    /// (<see cref="CssArParts"/>), the MA recursion here. A NaN or infinity makes the lane's sum non-finite (the caller
    /// then redoes it alone, as the single call redoes it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InterleavedCss(double[][] w, double[][] resid, double[][] arCoef, int[] arLag, double[][] maCoef, int[] maLag,
        int n, int q, int ncond, double[] ssq, Q0Buffers buffers)
    {
        int lanes = w.Length;
        int width = Vector256<double>.Count;
        int stride = (lanes + width - 1) / width * width;
        if (buffers.InterleavedW.Length < n * stride) buffers.InterleavedW = new double[n * stride];
        if (buffers.InterleavedR.Length < n * stride) buffers.InterleavedR = new double[n * stride];
        var iw = buffers.InterleavedW;
        var ir = buffers.InterleavedR;
        // iw holds each lane's AR part (w − Σ c·w[back]) from row ncond on, the padding lanes set to zero; ir is read
        // only where written (l − j − 1 ≥ ncond), and its padding lanes compute zeros.
        // Row by row (the rows are written in order), four lanes to a vector.
        var parts = CssArParts(w, arCoef, arLag, ncond, n, buffers);
        var padded = new double[stride][];
        for (int k = 0; k < stride; k++) padded[k] = k < lanes ? parts[k] : buffers.Zeros(n);
        for (int k0 = 0; k0 < stride; k0 += width)
        {
            var (p0, p1, p2, p3) = (padded[k0], padded[k0 + 1], padded[k0 + 2], padded[k0 + 3]);
            if (p0.Length < n || p1.Length < n || p2.Length < n || p3.Length < n) throw new ArgumentException("The lanes are shorter than the series.");
            ref double row = ref MemoryMarshal.GetArrayDataReference(iw);
            ref double first = ref MemoryMarshal.GetArrayDataReference(p0);
            // A gradient's lanes mostly share one series (the ARMA coefficients move, the regression does not): its
            // value is then broadcast to the block's four lanes, one load instead of four.
            if (ReferenceEquals(p0, p1) && ReferenceEquals(p0, p2) && ReferenceEquals(p0, p3))
            {
                for (int l = ncond; l < n; l++)
                    Vector256.StoreUnsafe(Vector256.Create(Unsafe.Add(ref first, l)), ref row, (nuint)(l * stride + k0));
                continue;
            }
            Interleave4(p0, p1, p2, p3, ncond, n, iw, stride, k0);
        }
        int nma = maLag.Length;
        var mc = new double[nma * stride];
        for (int k = 0; k < lanes; k++)
            for (int t = 0; t < nma; t++) mc[t * stride + k] = maCoef[k][t];
        // Time outermost, the lane blocks inside: each block's step depends on its previous step (the MA terms), so
        // the blocks' chains overlap in the processor.
        int blocks = stride / width;
        Span<Vector256<double>> totals = stackalloc Vector256<double>[blocks];
        totals.Clear();
        ref double w0 = ref MemoryMarshal.GetArrayDataReference(iw);
        ref double r0 = ref MemoryMarshal.GetArrayDataReference(ir);
        ref double m0 = ref MemoryMarshal.GetArrayDataReference(mc);
        // The first q steps after the conditioning part take only the MA terms that reach back past it (jmax).
        int warm = Math.Min(n, ncond + q);
        for (int l = ncond; l < warm; l++)
        {
            int jmax = Math.Min(l - ncond, q);
            for (int b = 0; b < blocks; b++)
            {
                int k0 = b * width;
                var tmp = Vector256.LoadUnsafe(ref w0, (nuint)(l * stride + k0));
                for (int t = 0; t < nma; t++)
                {
                    int j = maLag[t];
                    if (j >= jmax) break;
                    var c = Vector256.LoadUnsafe(ref m0, (nuint)(t * stride + k0));
                    var e = Vector256.LoadUnsafe(ref r0, (nuint)((l - j - 1) * stride + k0));
                    tmp -= c * e;
                }
                Vector256.StoreUnsafe(tmp, ref r0, (nuint)(l * stride + k0));
                totals[b] += tmp * tmp;
            }
        }
        // From then on every MA term applies. Two blocks at a time run through the rest of the series (three when three
        // are left), each lane with the same operations in the same order (its sum continuing from the steps above):
        // independent chains per step, their coefficients and sums kept in registers, operands addressed by each term's
        // distance behind the row.
        Span<int> maBack = stackalloc int[nma];
        for (int t = 0; t < nma; t++) maBack[t] = (maLag[t] + 1) * stride;
        Span<Vector256<double>> coefficients = stackalloc Vector256<double>[3 * nma];
        for (int b = 0; b < blocks;)
        {
            if (blocks - b == 3 && nma > 0 && warm < n)
            {
                for (int t = 0; t < nma; t++)
                    for (int j = 0; j < 3; j++)
                        coefficients[3 * t + j] = Vector256.LoadUnsafe(ref m0, (nuint)(t * stride + (b + j) * width));
                CssTailThree(ref w0, ref r0, warm, n, stride, b * width, maBack, coefficients[..(3 * nma)], totals.Slice(b, 3));
                b += 3;
                continue;
            }
            bool pair = b + 1 < blocks;
            int k0 = b * width, k1 = pair ? k0 + width : k0;
            for (int t = 0; t < nma; t++)
            {
                coefficients[2 * t] = Vector256.LoadUnsafe(ref m0, (nuint)(t * stride + k0));
                coefficients[2 * t + 1] = Vector256.LoadUnsafe(ref m0, (nuint)(t * stride + k1));
            }
            var (total0, total1) = (totals[b], pair ? totals[b + 1] : default);
            CssTail(ref w0, ref r0, warm, n, stride, k0, k1, maBack, coefficients[..(2 * nma)], ref total0, ref total1);
            totals[b] = total0;
            if (pair) totals[b + 1] = total1;
            b += 2;
        }
        var sums = new double[stride];
        for (int b = 0; b < blocks; b++) Vector256.CopyTo(totals[b], sums.AsSpan(b * width, width));
        for (int k = 0; k < lanes; k++) ssq[k] = sums[k];
    }

    /// <summary>
    /// getQ0: the covariance of the initial ARMA state (Gardner, Harvey and Phillips 1980), solving the
    /// r(r+1)/2 equations of vec(P) = vec(T P T' + V) by AS 154's Givens-style regression (<c>inclu2</c>).
    /// Column-major r × r result.
    /// </summary>
    public static double[] Q0(double[] phi, double[] theta) => Q0(phi, theta, sparse: Math.Max(phi.Length, theta.Length + 1) >= SparseQ0States);

    /// <summary>
    /// From this many ARMA states on, Q0 rotates only the columns that may be nonzero (the same bits): below it the
    /// system is small enough (r(r + 1)/2 &lt; 136 unknowns) for getQ0's dense vector loops to be as fast (development
    /// profiles: quarterly fits 4% faster dense, monthly ones with seasonal AR parts 1.7× faster sparse).
    /// </summary>
    private const int SparseQ0States = 16;

    /// <summary><see cref="Q0(double[], double[])"/>; <paramref name="sparse"/> = false rotates every column as getQ0 does (for the tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double[] Q0(double[] phi, double[] theta, bool sparse)
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
        // The work arrays (rbar alone holds np(np − 1)/2 values: 6 MB for a seasonal AR of period 24) are kept per
        // thread and cleared, as getQ0 clears its allocations, instead of allocated for each of a fit's evaluations.
        var buffers = q0Buffers ??= new Q0Buffers();
        var packed = buffers.Get(ref buffers.Packed, Math.Max(np, r * r));
        if (p > 0)
        {
            // rbar is kept all zero between calls: the sparse inclusions clear what they wrote (below).
            if (buffers.Rbar.Length < nrbar) buffers.Rbar = new double[nrbar];
            var rbar = buffers.Rbar;
            var rows = sparse ? buffers.Rows(np) : null;
            var thetab = buffers.Get(ref buffers.Thetab, np);
            var xnext = buffers.Get(ref buffers.Xnext, np);
            var xrow = buffers.Get(ref buffers.Xrow, np);
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
                    if (rows is null)
                    {
                        Include(np, xnext, xrow, ynext, packed, rbar, thetab);
                    }
                    else if (!IncludeSparse(np, npr, ind1, ind2, xnext, xrow, ynext, packed, rbar, thetab, rows))
                    {
                        // A non-finite rotation: inclu2's zero columns would not stay zero; redo it all as getQ0.
                        rows.ClearWritten(rbar, np);
                        xrow.AsSpan(0, np).Clear();
                        return Q0(phi, theta, sparse: false);
                    }
                    xnext[ind2] = 0.0;
                    if (i != r - 1)
                    {
                        xnext[indi++] = 0.0;
                        xnext[ind1] = 0.0;
                    }
                }
            }

            if (rows is null)
            {
                long ithisr = nrbar - 1;
                int im = np - 1;
                for (int i = 0; i < np; i++)
                {
                    double bi = thetab[im];
                    int jm = np - 1;
                    for (int j = 0; j < i; j++) bi -= rbar[ithisr--] * packed[jm--];
                    packed[im--] = bi;
                }
                rbar.AsSpan(0, (int)nrbar).Clear();
            }
            else
            {
                rows.BackSubstitute(rbar, thetab, packed, np);
                rows.ClearWritten(rbar, np);
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
        packed.AsSpan(0, np).CopyTo(pm);
        ind = np;
        for (int i = r - 1; i > 0; i--)
            for (int j = r - 1; j >= i; j--) pm[r * i + j] = pm[--ind];
        for (int i = 0; i < r - 1; i++)
            for (int j = i + 1; j < r; j++) pm[i + r * j] = pm[j + r * i];
        return res;
    }

    [ThreadStatic]
    private static Q0Buffers? q0Buffers;

    private sealed class Q0Buffers
    {
        public double[] Packed = [], Rbar = [], Thetab = [], Xnext = [], Xrow = [], Css = [], CssResiduals = [], CssArPart = [], CssArCoefficients = [];
        public int[] CssArLags = [];
        public readonly List<double[]> Lanes = [];
        public double[] InterleavedW = [], InterleavedR = [];
        public readonly List<double[]> ArParts = [];
        private double[] _zeros = [];

        /// <summary>At least <paramref name="length"/> zeros (never written).</summary>
        public double[] Zeros(int length) => _zeros.Length >= length ? _zeros : _zeros = new double[length];

        private SparseRows? _rows;

        /// <summary>The column sets of rbar's rows for a system of <paramref name="np"/> unknowns, all empty.</summary>
        public SparseRows Rows(int np)
        {
            _rows ??= new SparseRows();
            _rows.Reset(np);
            return _rows;
        }

        /// <summary>The first <paramref name="length"/> elements of <paramref name="buffer"/>, zeroed (grown when short).</summary>
        public double[] Get(ref double[] buffer, int length)
        {
            if (buffer.Length < length) buffer = new double[length];
            else buffer.AsSpan(0, length).Clear();
            return buffer;
        }
    }

    /// <summary>
    /// For each row i of AS 154's rbar, a sorted superset of the columns where it is nonzero (all other entries are
    /// zero), and the rows' buffers for <see cref="IncludeSparse"/>.
    /// </summary>
    private sealed class SparseRows
    {
        public int[][] Columns = [];
        public int[] Count = [];
        public int[] X = [], Merged = [];

        public void Reset(int np)
        {
            if (Columns.Length < np)
            {
                Array.Resize(ref Columns, np);
                for (int i = 0; i < np; i++) Columns[i] ??= new int[8];
                Count = new int[np];
                X = new int[np];
                Merged = new int[np];
            }
            Count.AsSpan(0, np).Clear();
        }

        /// <summary>Sets the entries of rbar the rows list back to zero (rbar's layout for <paramref name="np"/> unknowns).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ClearWritten(double[] rbar, int np)
        {
            for (int i = 0; i < np; i++)
            {
                long start = RowStart(i, np) - i - 1;
                var columns = Columns[i];
                for (int t = 0; t < Count[i]; t++) rbar[start + columns[t]] = 0.0;
            }
        }

        /// <summary>
        /// getQ0's back-substitution, P[i] = thetab[i] − Σ_{j &gt; i} rbar[i, j] P[j] from the last row up, subtracting in
        /// R's order (j descending) only at the columns the row lists: elsewhere rbar is +0 and P[j] finite, so R
        /// subtracts ±0, which changes a nonzero sum or +0 not at all; while the sum is −0 (subtracting −0 makes it +0)
        /// or once some P[j] is not finite, every column is subtracted, as R does.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void BackSubstitute(double[] rbar, double[] thetab, double[] packed, int np)
        {
            bool finite = true;
            for (int im = np - 1; im >= 0; im--)
            {
                double bi = thetab[im];
                long start = RowStart(im, np) - im - 1;
                var columns = Columns[im];
                int t = Count[im] - 1;
                int jm = np - 1;
                while (jm > im)
                {
                    if (!finite || (bi == 0.0 && double.IsNegative(bi)))
                    {
                        if (t >= 0 && columns[t] == jm) t--;
                        bi -= rbar[start + jm] * packed[jm];
                        jm--;
                    }
                    else if (t >= 0)
                    {
                        int c = columns[t--];
                        bi -= rbar[start + c] * packed[c];
                        jm = c - 1;
                    }
                    else
                    {
                        break;
                    }
                }
                packed[im] = bi;
                if (!double.IsFinite(bi)) finite = false;
            }
        }

        /// <summary>Index in rbar of row i's first element (column i + 1).</summary>
        public static long RowStart(int i, int np) => (long)i * (np - 1) - (long)i * (i - 1) / 2;
    }

    /// <summary>
    /// inclu2 as <see cref="Include"/>, rotating only the columns where the new row or rbar's row i may be nonzero. In
    /// a column where both are zero, inclu2 leaves rbar at +0 (cbar ≥ 0 times +0, plus ±0) and the row's entry a zero
    /// of some sign, which only ever meets the nonzero test and products that stay zero; so d, rbar and thetab come
    /// out bit for bit as inclu2's as long as the rotation is finite (false otherwise: the caller redoes Q0 densely).
    /// On AS 154's system for a seasonal AR model of period 24, 97% of inclu2's column updates are of that kind. Each
    /// column's update is independent of the others', so visiting fewer of them changes no value. getQ0's new row has
    /// its nonzeros in the last r columns and at <paramref name="ind1"/> and <paramref name="ind2"/>; xrow is zero on
    /// entry and left zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IncludeSparse(int np, int npr, int ind1, int ind2, double[] xnext, double[] xrow, double ynext, double[] d,
        double[] rbar, double[] thetab, SparseRows rows)
    {
        var x = rows.X;
        var merged = rows.Merged;
        int nx = 0;
        int low1 = ind1 >= 0 && ind1 < npr ? ind1 : -1, low2 = ind2 < npr ? ind2 : -1;
        if (low1 > low2) (low1, low2) = (low2, low1);
        if (low1 >= 0 && low1 != low2 && xnext[low1] != 0.0) x[nx++] = low1;
        if (low2 >= 0 && xnext[low2] != 0.0) x[nx++] = low2;
        for (int k = npr; k < np; k++) if (xnext[k] != 0.0) x[nx++] = k;
        for (int t = 0; t < nx; t++) xrow[x[t]] = xnext[x[t]];
        int head = 0;
        while (head < nx)
        {
            int i = x[head++];
            double xi = xrow[i];
            xrow[i] = 0.0; // never read again: later rotations touch columns after i
            if (xi == 0.0) continue;
            double di = d[i];
            double dpi = di + xi * xi;
            d[i] = dpi;
            double cbar = di / dpi;
            double sbar = xi / dpi;
            if (!double.IsFinite(xi) || !double.IsFinite(cbar) || !double.IsFinite(sbar))
            {
                for (int t = head; t < nx; t++) xrow[x[t]] = 0.0;
                return false;
            }
            // Columns of the row after i (x[head..nx)) united with row i's columns, in increasing order.
            var columns = rows.Columns[i];
            int nc = rows.Count[i];
            int a = head, b = 0, nm = 0;
            while (a < nx && b < nc)
            {
                int ca = x[a], cb = columns[b];
                if (ca < cb) { merged[nm++] = ca; a++; }
                else if (cb < ca) { merged[nm++] = cb; b++; }
                else { merged[nm++] = ca; a++; b++; }
            }
            while (a < nx) merged[nm++] = x[a++];
            while (b < nc) merged[nm++] = columns[b++];
            long start = SparseRows.RowStart(i, np) - i - 1;
            for (int t = 0; t < nm; t++)
            {
                int k = merged[t];
                double xk = xrow[k];
                double rbthis = rbar[start + k];
                xrow[k] = xk - xi * rbthis;
                rbar[start + k] = cbar * rbthis + sbar * xk;
            }
            if (nm > nc)
            {
                if (columns.Length < nm) rows.Columns[i] = columns = new int[Math.Max(nm, 2 * columns.Length)];
                merged.AsSpan(0, nm).CopyTo(columns);
                rows.Count[i] = nm;
            }
            (x, rows.X, merged, rows.Merged) = (merged, merged, x, x);
            nx = nm;
            head = 0;
            double xk2 = ynext;
            ynext = xk2 - xi * thetab[i];
            thetab[i] = cbar * thetab[i] + sbar * xk2;
            if (di == 0.0)
            {
                for (int t = 0; t < nx; t++) xrow[x[t]] = 0.0;
                return true;
            }
        }
        return true;
    }

    /// <summary>inclu2 (AS 154): updates d, rbar, thetab by the inclusion of xnext and ynext.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Include(int np, double[] xnext, double[] xrow, double ynext, double[] d, double[] rbar, double[] thetab)
    {
        xnext.AsSpan(0, np).CopyTo(xrow);
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
                // The rotation of the rest of the row: element-wise, so the vector lanes compute exactly what R's scalar
                // loop computes (separate multiplies and adds, no fused multiply-add).
                int k = i + 1;
                if (Vector.IsHardwareAccelerated && np - k >= Vector<double>.Count)
                {
                    var vxi = new Vector<double>(xi);
                    var vc = new Vector<double>(cbar);
                    var vs = new Vector<double>(sbar);
                    var rows = xrow.AsSpan(0, np);
                    var bars = rbar.AsSpan((int)ithisr, np - k);
                    int width = Vector<double>.Count;
                    int j = 0;
                    for (; k + width <= np; k += width, j += width)
                    {
                        var xk = new Vector<double>(rows[k..]);
                        var rb = new Vector<double>(bars[j..]);
                        (xk - vxi * rb).CopyTo(rows[k..]);
                        (vc * rb + vs * xk).CopyTo(bars[j..]);
                    }
                    ithisr += j;
                }
                for (; k < np; k++)
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
