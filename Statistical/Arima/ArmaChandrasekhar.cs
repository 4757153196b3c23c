using System.Runtime.CompilerServices;

namespace Forecast.Statistical.Arima;

/// <summary>
/// stats::arima's exact likelihood (<see cref="ArimaKalman.Likelihood"/>: the Kalman filter of the undifferenced series,
/// the ARMA block started at Gardner et al.'s Q0 and the d differencing states at the diffuse κ·I) computed by the
/// Chandrasekhar recursions (Morf, Sidhu and Kailath 1974; in the form of Herbst 2015) instead of the Riccati update of
/// the covariance. With that start the first change of the predicted covariance, P₂ − P₁, has rank 3 (rank 1 without
/// differencing): T P₁ T′ + V − P₁ touches only the first differencing state's row and column, because
/// Q0 = Tₐ Q0 Tₐ′ + V, and the gain term is rank one. So P is never formed: the gain F, the vector K = T P Z′ and the
/// factor W M W′ of the last change are carried, O((r + d)·3) a step where the Riccati update costs O((r + d)²).
/// </summary>
/// <remarks>
/// The same quantities in exact arithmetic. In floating point they differ from the Riccati update's by rounding, which
/// the κ-sized terms of the first d steps amplify: up to about 2e-8 of the objective on the golden series' orders
/// (measured in the tests against the Kalman filter, which matches a textbook filter to 1e-12), about the size of the
/// Riccati update's own cancellation there. The start assumes Q0 = Tₐ Q0 Tₐ′ + V; Gardner's Q0 misses that equation
/// for some strongly seasonal AR parts (by up to 1e-3 of Q0 on hourly data), and R's likelihood then carries that
/// error, so beyond a relative residual of 1e-9 the caller runs the Kalman filter instead. Once ‖W M W′‖ falls below
/// 1e-15 of F, F and K are held and only the state is updated, as the Kalman filter's steady state holds P.
/// /// </remarks>
internal sealed partial class ArmaChandrasekhar
{
    private double[] _a = [];
    private double[] _k = [];
    private double[] _w = [];
    private double[] _phiPad = [];
    private int[] _phiIndices = [];
    private int[] _deltaIndices = [];

    internal double[] K => _k;

    internal double[] W => _w;

    internal double[] PhiPadded => _phiPad;

    internal int[] DeltaIndices => _deltaIndices;

    /// <summary>
    /// The recursions' start for <paramref name="model"/>: a = 0, F₁, K₁ and the factor W M W′ of P₂ − P₁ in this
    /// object's buffers (<see cref="K"/>, <see cref="W"/>, <see cref="PhiPadded"/>) and in <paramref name="mm"/>
    /// (3 × 3, row-major); false when <paramref name="y"/> has a missing value or Q0 misses its equation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool TryStart(ReadOnlySpan<double> y, ArimaStateSpace model, Span<double> mm, out double f)
    {
        f = 0;
        foreach (double value in y)
            if (double.IsNaN(value)) return false;
        var phi = model.Phi;
        var delta = model.Delta;
        var pn = model.Pn;
        int r = model.R, d = delta.Length, rd = r + d, p = phi.Length;
        if (_a.Length != rd)
        {
            _a = new double[rd];
            _k = new double[rd];
            _w = new double[rd * 3];
            _phiPad = new double[rd];
        }
        _phiIndices = NonZero(phi, _phiIndices);
        _deltaIndices = NonZero(delta, _deltaIndices);
        var phiIdx = _phiIndices;
        var deltaIdx = _deltaIndices;
        var a = _a;
        var k = _k;
        var w = _w;
        var phiPad = _phiPad;
        phiPad.AsSpan().Clear();
        phi.AsSpan(0, p).CopyTo(phiPad);
        a.AsSpan().Clear();

        // The rank-three start needs Q0 = Tₐ Q0 Tₐ′ + V to working precision; Gardner et al.'s Q0 can miss it (strongly
        // seasonal AR parts), and then the Kalman filter, which does not assume it, is used.
        LastStationarityResidual = StationarityResidual(pn, rd, r, phi, model.Theta);
        if (LastStationarityResidual > MaxStationarityResidual) return false;

        // P₁ = Pn: M₁ = P₁ Z′ = (Q0 e₁, κ δ), F₁ = Q0[0,0] + κ δ′δ, K₁ = T M₁.
        double q00 = pn[0];
        double kappa = d > 0 ? pn[r + rd * r] : 0;
        var m1 = w.AsSpan(0, rd); // scratch: overwritten below
        for (int i = 0; i < r; i++) m1[i] = pn[i];
        double deltaSquares = 0;
        for (int i = 0; i < d; i++)
        {
            m1[r + i] = kappa * delta[i];
            deltaSquares += delta[i] * delta[i];
        }
        f = q00;
        foreach (int i in deltaIdx) f += delta[i] * m1[r + i];
        Transition(m1, k, r, d, phi, phiIdx, delta, deltaIdx);

        // P₂ − P₁ = W M W′. Without differencing W = K₁, M = −1/F₁. With it: W = (u, e_r, K₁),
        // M = [[0, 1, 0], [1, c, 0], [0, 0, −1/F₁]], u = (Tₐ Q0 e₁, κ S δ), c = Q0[0,0] + κ(δ′δ − 1).
        mm.Clear();
        if (d == 0)
        {
            k.AsSpan().CopyTo(w.AsSpan(0, rd));
            mm[0] = -1 / f;
        }
        else
        {
            var u = w.AsSpan(0, rd);
            for (int i = 0; i < r; i++) u[i] = (i < p ? phi[i] * q00 : 0.0) + (i < r - 1 ? pn[i + 1] : 0.0);
            u[r] = 0;
            for (int i = 1; i < d; i++) u[r + i] = kappa * delta[i - 1];
            var er = w.AsSpan(rd, rd);
            er.Clear();
            er[r] = 1;
            k.AsSpan().CopyTo(w.AsSpan(2 * rd, rd));
            mm[1] = mm[3] = 1;
            mm[4] = q00 + kappa * (deltaSquares - 1);
            mm[8] = -1 / f;
        }
        return true;
    }

    /// <summary>
    /// (Σ v²/F, Σ log F, number of terms) as <see cref="ArimaKalman.Likelihood"/> returns them for <paramref name="model"/>
    /// freshly reset (a = 0, Pn = the prior), without residuals; null when <paramref name="y"/> has a missing value
    /// or Q0 misses its equation (the caller uses the Kalman filter). The model is not changed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Ssq, double SumLog, int Count)? Likelihood(ReadOnlySpan<double> y, ArimaStateSpace model)
    {
        Span<double> mm = stackalloc double[9];
        if (!TryStart(y, model, mm, out double f)) return null;
        var phi = model.Phi;
        var delta = model.Delta;
        int r = model.R, d = delta.Length, rd = r + d;
        int rank = d > 0 ? 3 : 1;
        var phiIdx = _phiIndices;
        var deltaIdx = _deltaIndices;
        var a = _a;
        var k = _k;
        var w = _w;
        var phiPad = _phiPad;
        Span<double> z = stackalloc double[3];
        Span<double> mz = stackalloc double[3];
        Span<double> g = stackalloc double[9];
        Span<double> h = stackalloc double[9];
        bool moving = true;
        double logF = 0;
        double ssq = 0, sumlog = 0;
        int nu = 0;
        for (int t = 0; t < y.Length; t++)
        {
            double v = y[t] - a[0];
            foreach (int i in deltaIdx) v -= delta[i] * a[r + i];
            if (f < 1e4)
            {
                nu++;
                ssq += v * v / f;
                sumlog += moving ? Math.Log(f) : logF;
            }
            // a ← T a + K v / F (the next prediction).
            double scale = v / f;
            double a0 = a[0];
            double diffState = a0;
            foreach (int i in deltaIdx) diffState += delta[i] * a[r + i];
            for (int i = 0; i < r - 1; i++) a[i] = a[i + 1] + k[i] * scale;
            a[r - 1] = k[r - 1] * scale;
            foreach (int i in phiIdx) a[i] += phi[i] * a0;
            if (d > 0)
            {
                for (int i = rd - 1; i > r; i--) a[i] = a[i - 1] + k[i] * scale;
                a[r] = diffState + k[r] * scale;
            }
            if (!moving) continue;

            // z = Z W; F ← F + z M z′; K ← K + T W M z′; M ← M + M z′ z M / F (the old F); W ← T W − K z / F (the new
            // ones). T W is formed row by row in the same pass: rows below r − 1 shift up and add φᵢ W₀, row r is z
            // (Z W: the first differencing state's transition row is Z), the differencing rows below it shift down.
            for (int j = 0; j < rank; j++)
            {
                int off = j * rd;
                double zj = w[off];
                foreach (int i in deltaIdx) zj += delta[i] * w[off + r + i];
                z[j] = zj;
            }
            double change = 0;
            for (int i = 0; i < rank; i++)
            {
                double s = 0;
                for (int j = 0; j < rank; j++) s += mm[i * 3 + j] * z[j];
                mz[i] = s;
                change += z[i] * s;
            }
            // mz_i·mz_j / F and mz_j·mz_i / F are the same bits (a product does not depend on the order of its factors; NaN payloads aside, and a
            // non-finite likelihood is rejected anyway),
            // so each off-diagonal term is divided once and added to both of its elements.
            for (int i = 0; i < rank; i++)
                for (int j = i; j < rank; j++)
                {
                    double term = mz[i] * mz[j] / f;
                    mm[i * 3 + j] += term;
                    if (j != i) mm[j * 3 + i] += term;
                }
            f += change;
            if (rank == 3)
                StepRank3(w, k, phiPad, r, rd, z[0], z[1], z[2], mz[0], mz[1], mz[2], f);
            else
                StepRank1(w, k, phiPad, r, z[0], mz[0], f);
            // Converged: the next change of the covariance, ΔP = W M W′, is below 1e-15 of F in Frobenius norm
            // (‖ΔP‖² = tr(M G M G) with G = W′W), and it shrinks from there; F and K are held, as the Kalman filter's
            // steady state holds P. Checked every eighth step.
            if (t >= d && (t & 7) == 7)
            {
                for (int a1 = 0; a1 < rank; a1++)
                    for (int b1 = 0; b1 <= a1; b1++)
                    {
                        double sum = 0;
                        int oa = a1 * rd, ob = b1 * rd;
                        for (int i = 0; i < rd; i++) sum += w[oa + i] * w[ob + i];
                        g[a1 * 3 + b1] = g[b1 * 3 + a1] = sum;
                    }
                for (int a1 = 0; a1 < rank; a1++)
                    for (int b1 = 0; b1 < rank; b1++)
                    {
                        double sum = 0;
                        for (int c1 = 0; c1 < rank; c1++) sum += mm[a1 * 3 + c1] * g[c1 * 3 + b1];
                        h[a1 * 3 + b1] = sum;
                    }
                double trace = 0;
                for (int a1 = 0; a1 < rank; a1++)
                    for (int b1 = 0; b1 < rank; b1++) trace += h[a1 * 3 + b1] * h[b1 * 3 + a1];
                if (Math.Abs(trace) <= 1e-30 * f * f)
                {
                    moving = false;
                    logF = Math.Log(f);
                }
            }
        }
        return (ssq, sumlog, nu);
    }

    /// <summary>K ← K + (T W) M z′ and W ← T W − K z / F for the three columns of W (stored one after another).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StepRank3(double[] w, double[] k, double[] phiPad, int r, int rd, double z0, double z1, double z2,
        double mz0, double mz1, double mz2, double f)
    {
        int o1 = rd, o2 = 2 * rd;
        double c0 = z0 / f, c1 = z1 / f, c2 = z2 / f;
        double first0 = w[0], first1 = w[o1], first2 = w[o2];
        for (int i = 0; i < r; i++)
        {
            double t0, t1, t2;
            if (i < r - 1)
            {
                double ph = phiPad[i];
                t0 = w[i + 1] + ph * first0;
                t1 = w[o1 + i + 1] + ph * first1;
                t2 = w[o2 + i + 1] + ph * first2;
            }
            else
            {
                double ph = phiPad[i];
                t0 = 0.0 + ph * first0;
                t1 = 0.0 + ph * first1;
                t2 = 0.0 + ph * first2;
            }
            double ki = k[i] + t0 * mz0 + t1 * mz1 + t2 * mz2;
            k[i] = ki;
            w[i] = t0 - ki * c0;
            w[o1 + i] = t1 - ki * c1;
            w[o2 + i] = t2 - ki * c2;
        }
        // Differencing rows: row r is z; row r + i (i ≥ 1) is the old row r + i − 1.
        double prev0 = z0, prev1 = z1, prev2 = z2;
        for (int i = r; i < rd; i++)
        {
            double t0 = prev0, t1 = prev1, t2 = prev2;
            prev0 = w[i];
            prev1 = w[o1 + i];
            prev2 = w[o2 + i];
            double ki = k[i] + t0 * mz0 + t1 * mz1 + t2 * mz2;
            k[i] = ki;
            w[i] = t0 - ki * c0;
            w[o1 + i] = t1 - ki * c1;
            w[o2 + i] = t2 - ki * c2;
        }
    }

    /// <summary>The rank-one step (no differencing): K ← K + (T W) m z, W ← T W − K z / F.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StepRank1(double[] w, double[] k, double[] phiPad, int r, double z0, double mz0, double f)
    {
        double c0 = z0 / f, first0 = w[0];
        for (int i = 0; i < r; i++)
        {
            double t0 = (i < r - 1 ? w[i + 1] : 0.0) + phiPad[i] * first0;
            double ki = k[i] + t0 * mz0;
            k[i] = ki;
            w[i] = t0 - ki * c0;
        }
    }

    /// <summary>Largest |Tₐ Q0 Tₐ′ + V − Q0| relative to the largest |Q0| of the ARMA block of <paramref name="pn"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double StationarityResidual(double[] pn, int rd, int r, double[] phi, double[] theta)
    {
        double largest = 0, residual = 0;
        double q00 = pn[0];
        for (int j = 0; j < r; j++)
        {
            double phij = j < phi.Length ? phi[j] : 0.0;
            double vj = j == 0 ? 1.0 : theta[j - 1];
            double q0j1 = j < r - 1 ? pn[rd * (j + 1)] : 0.0; // Q0[0, j+1]
            for (int i = 0; i < r; i++)
            {
                double phii = i < phi.Length ? phi[i] : 0.0;
                double vi = i == 0 ? 1.0 : theta[i - 1];
                double value = vi * vj + phii * phij * q00 + phii * q0j1;
                if (i < r - 1)
                {
                    value += phij * pn[i + 1];
                    if (j < r - 1) value += pn[i + 1 + rd * (j + 1)];
                }
                double q = pn[i + rd * j];
                largest = Math.Max(largest, Math.Abs(q));
                residual = Math.Max(residual, Math.Abs(value - q));
            }
        }
        return residual / largest;
    }

    /// <summary>The largest relative residual of Q0's equation for which the recursions are used.</summary>
    public double MaxStationarityResidual { get; init; } = 1e-9;

    /// <summary>The residual of the last call (for the tests).</summary>
    public double LastStationarityResidual { get; private set; }

    /// <summary>result = T x for makeARIMA's transition: the ARMA companion block and the differencing rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transition(ReadOnlySpan<double> x, Span<double> result, int r, int d, double[] phi, int[] phiIdx, double[] delta, int[] deltaIdx)
    {
        double x0 = x[0];
        for (int i = 0; i < r - 1; i++) result[i] = x[i + 1];
        result[r - 1] = 0;
        foreach (int i in phiIdx) result[i] += phi[i] * x0;
        if (d == 0) return;
        double s = x0;
        foreach (int i in deltaIdx) s += delta[i] * x[r + i];
        for (int i = d - 1; i > 0; i--) result[r + i] = x[r + i - 1];
        result[r] = s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] NonZero(double[] values, int[] previous)
    {
        int count = 0;
        foreach (double v in values) if (v != 0) count++;
        bool same = previous.Length == count;
        if (same)
        {
            int j = 0;
            for (int i = 0; i < values.Length && same; i++)
                if (values[i] != 0) same = previous[j++] == i;
        }
        if (same) return previous;
        var result = new int[count];
        int n = 0;
        for (int i = 0; i < values.Length; i++) if (values[i] != 0) result[n++] = i;
        return result;
    }
}
