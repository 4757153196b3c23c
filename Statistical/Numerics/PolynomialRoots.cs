using System.Runtime.CompilerServices;

namespace Forecast.Statistical.Numerics;

/// <summary>
/// Zeros of a polynomial by the Jenkins-Traub three-stage algorithm (TOMS 419), as R's <c>polyroot()</c> computes them
/// (src/main/complex.c: <c>R_cpolyroot</c>, Ross Ihaka's C translation). R forecast decides ETS admissibility and ARIMA
/// stationarity/invertibility from these roots' moduli, so we follow the same iteration.
/// </summary>
internal sealed partial class PolynomialRoots
{
    private const double Eta = 2.220446049250313e-16; // DBL_EPSILON
    private const double Are = Eta;
    private static readonly double Mre = 2.0 * Math.Sqrt(2.0) * Eta;
    private const double Infin = double.MaxValue;
    private const double Smalno = 2.2250738585072014e-308; // DBL_MIN
    private const double Base = 2.0; // FLT_RADIX
    private const double Cosr = -0.06975647374412529990; // cos 94°
    private const double Sinr = 0.99756405025982424767; // sin 94°

    private int _nn;
    private double[] _pr = [], _pi = [], _hr = [], _hi = [], _qpr = [], _qpi = [], _qhr = [], _qhi = [], _shr = [], _shi = [];
    private double _sr, _si, _tr, _ti, _pvr, _pvi;
    private double _relstp, _omp;

    /// <summary>
    /// The largest modulus among the zeros of a0 + a1·z + … + ak·z^k (<paramref name="increasing"/> = a0..ak, R's
    /// <c>max(Mod(polyroot(a)))</c>); trailing zero coefficients are dropped as R does. Null when the algorithm fails.
    /// </summary>
    public static double? MaxModulus(ReadOnlySpan<double> increasing) => Extreme(increasing, max: true);

    /// <summary>The smallest modulus among the zeros (R's <c>min(Mod(polyroot(a)))</c>); null when it fails.</summary>
    public static double? MinModulus(ReadOnlySpan<double> increasing) => Extreme(increasing, max: false);

    private static double? Extreme(ReadOnlySpan<double> increasing, bool max)
    {
        int degree = 0;
        for (int i = 0; i < increasing.Length; i++)
            if (increasing[i] != 0.0) degree = i;
        if (degree < 1) return null;
        var opr = new double[degree + 1];
        var opi = new double[degree + 1];
        for (int i = 0; i <= degree; i++) opr[degree - i] = increasing[i];
        var zr = new double[degree];
        var zi = new double[degree];
        if (!new PolynomialRoots().Find(opr, opi, degree, zr, zi)) return null;
        double result = max ? 0 : double.PositiveInfinity;
        for (int i = 0; i < degree; i++)
        {
            double mod = double.Hypot(zr[i], zi[i]);
            result = max ? Math.Max(result, mod) : Math.Min(result, mod);
        }
        return result;
    }

    /// <summary>
    /// R_cpolyroot: zeros of the polynomial with coefficients <paramref name="opr"/> + i·<paramref name="opi"/> in
    /// decreasing powers. Returns false when the leading coefficient is zero or fewer than degree zeros were found.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Find(double[] opr, double[] opi, int degree, double[] zeror, double[] zeroi)
    {
        double xx = Math.Sqrt(0.5);
        double yy = -xx;
        _nn = degree;
        int d1 = _nn - 1;
        if (opr[0] == 0.0 && opi[0] == 0.0) return false;

        // Remove the zeros at the origin, if any.
        while (opr[_nn] == 0.0 && opi[_nn] == 0.0)
        {
            int dn = d1 - _nn + 1;
            zeror[dn] = 0.0;
            zeroi[dn] = 0.0;
            _nn--;
        }
        _nn++;
        if (_nn == 1) return true;

        int nn = _nn;
        _pr = new double[nn]; _pi = new double[nn]; _hr = new double[nn]; _hi = new double[nn];
        _qpr = new double[nn]; _qpi = new double[nn]; _qhr = new double[nn]; _qhi = new double[nn];
        _shr = new double[nn]; _shi = new double[nn];
        for (int i = 0; i < nn; i++)
        {
            _pr[i] = opr[i];
            _pi[i] = opi[i];
            _shr[i] = double.Hypot(_pr[i], _pi[i]);
        }

        double bnd = Scale(nn, _shr, Eta, Infin, Smalno, Base);
        if (bnd != 1.0)
        {
            for (int i = 0; i < nn; i++)
            {
                _pr[i] *= bnd;
                _pi[i] *= bnd;
            }
        }

        while (_nn > 2)
        {
            for (int i = 0; i < _nn; i++) _shr[i] = double.Hypot(_pr[i], _pi[i]);
            bnd = Cauchy(_nn, _shr, _shi);

            bool converged = false;
            double zr = 0, zi = 0;
            for (int i1 = 1; i1 <= 2 && !converged; i1++)
            {
                NoShift(5);
                for (int i2 = 1; i2 <= 9; i2++)
                {
                    double xxx = Cosr * xx - Sinr * yy;
                    yy = Sinr * xx + Cosr * yy;
                    xx = xxx;
                    _sr = bnd * xx;
                    _si = bnd * yy;
                    if (FixedShift(i2 * 10, out zr, out zi))
                    {
                        converged = true;
                        break;
                    }
                }
            }
            if (!converged) return false;

            int d = d1 + 2 - _nn;
            zeror[d] = zr;
            zeroi[d] = zi;
            --_nn;
            for (int i = 0; i < _nn; i++)
            {
                _pr[i] = _qpr[i];
                _pi[i] = _qpi[i];
            }
        }
        ComplexDivide(-_pr[1], -_pi[1], _pr[0], _pi[0], out zeror[d1], out zeroi[d1]);
        return true;
    }

    /// <summary>noshft: the derivative polynomial as the initial h, then l1 no-shift h polynomials.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NoShift(int l1)
    {
        int n = _nn - 1, nm1 = n - 1;
        for (int i = 0; i < n; i++)
        {
            double xni = _nn - i - 1;
            _hr[i] = xni * _pr[i] / n;
            _hi[i] = xni * _pi[i] / n;
        }
        for (int jj = 1; jj <= l1; jj++)
        {
            if (double.Hypot(_hr[n - 1], _hi[n - 1]) <= Eta * 10.0 * double.Hypot(_pr[n - 1], _pi[n - 1]))
            {
                for (int i = 1; i <= nm1; i++)
                {
                    int j = _nn - i;
                    _hr[j - 1] = _hr[j - 2];
                    _hi[j - 1] = _hi[j - 2];
                }
                _hr[0] = 0.0;
                _hi[0] = 0.0;
            }
            else
            {
                ComplexDivide(-_pr[_nn - 1], -_pi[_nn - 1], _hr[n - 1], _hi[n - 1], out _tr, out _ti);
                for (int i = 1; i <= nm1; i++)
                {
                    int j = _nn - i;
                    double t1 = _hr[j - 2], t2 = _hi[j - 2];
                    _hr[j - 1] = _tr * t1 - _ti * t2 + _pr[j - 1];
                    _hi[j - 1] = _tr * t2 + _ti * t1 + _pi[j - 1];
                }
                _hr[0] = _pr[0];
                _hi[0] = _pi[0];
            }
        }
    }

    /// <summary>fxshft: l2 fixed-shift h polynomials, then the variable-shift iteration once convergence is in sight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FixedShift(int l2, out double zr, out double zi)
    {
        int n = _nn - 1;
        PolyEval(_nn, _sr, _si, _pr, _pi, _qpr, _qpi, out _pvr, out _pvi);
        bool test = true, pasd = false;
        CalcT(out bool hs0);
        zr = 0;
        zi = 0;
        for (int j = 1; j <= l2; j++)
        {
            double otr = _tr, oti = _ti;
            NextH(hs0);
            CalcT(out hs0);
            zr = _sr + _tr;
            zi = _si + _ti;
            if (!hs0 && test && j != l2)
            {
                if (double.Hypot(_tr - otr, _ti - oti) >= double.Hypot(zr, zi) * 0.5)
                {
                    pasd = false;
                }
                else if (!pasd)
                {
                    pasd = true;
                }
                else
                {
                    for (int i = 0; i < n; i++)
                    {
                        _shr[i] = _hr[i];
                        _shi[i] = _hi[i];
                    }
                    double svsr = _sr, svsi = _si;
                    if (VariableShift(10, ref zr, ref zi)) return true;
                    test = false;
                    for (int i = 1; i <= n; i++)
                    {
                        _hr[i - 1] = _shr[i - 1];
                        _hi[i - 1] = _shi[i - 1];
                    }
                    _sr = svsr;
                    _si = svsi;
                    PolyEval(_nn, _sr, _si, _pr, _pi, _qpr, _qpi, out _pvr, out _pvi);
                    CalcT(out hs0);
                }
            }
        }
        return VariableShift(10, ref zr, ref zi);
    }

    /// <summary>vrshft: the third-stage iteration from (zr, zi).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool VariableShift(int l3, ref double zr, ref double zi)
    {
        bool b = false;
        _sr = zr;
        _si = zi;
        for (int i = 1; i <= l3; i++)
        {
            PolyEval(_nn, _sr, _si, _pr, _pi, _qpr, _qpi, out _pvr, out _pvi);
            double mp = double.Hypot(_pvr, _pvi);
            double ms = double.Hypot(_sr, _si);
            if (mp <= 20.0 * ErrorBound(_nn, _qpr, _qpi, ms, mp, Eta, Mre))
            {
                zr = _sr;
                zi = _si;
                return true;
            }
            bool skipToNext = false;
            if (i != 1)
            {
                if (!b && mp >= _omp && _relstp < 0.05)
                {
                    // Stalled, probably a cluster of zeros: five fixed-shift steps into the cluster.
                    double tp = _relstp;
                    b = true;
                    if (_relstp < Eta) tp = Eta;
                    double r1 = Math.Sqrt(tp);
                    double r2 = _sr * (r1 + 1.0) - _si * r1;
                    _si = _sr * r1 + _si * (r1 + 1.0);
                    _sr = r2;
                    PolyEval(_nn, _sr, _si, _pr, _pi, _qpr, _qpi, out _pvr, out _pvi);
                    for (int j = 1; j <= 5; ++j)
                    {
                        CalcT(out bool h);
                        NextH(h);
                    }
                    _omp = Infin;
                    skipToNext = true;
                }
                else if (mp * 0.1 > _omp)
                {
                    return false;
                }
            }
            if (!skipToNext) _omp = mp;
            CalcT(out bool hs0);
            NextH(hs0);
            CalcT(out hs0);
            if (!hs0)
            {
                _relstp = double.Hypot(_tr, _ti) / double.Hypot(_sr, _si);
                _sr += _tr;
                _si += _ti;
            }
        }
        return false;
    }

    /// <summary>calct: t = -p(s)/h(s); <paramref name="hs0"/> when h(s) is essentially zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CalcT(out bool hs0)
    {
        int n = _nn - 1;
        PolyEval(n, _sr, _si, _hr, _hi, _qhr, _qhi, out double hvr, out double hvi);
        hs0 = double.Hypot(hvr, hvi) <= Are * 10.0 * double.Hypot(_hr[n - 1], _hi[n - 1]);
        if (!hs0)
        {
            ComplexDivide(-_pvr, -_pvi, hvr, hvi, out _tr, out _ti);
        }
        else
        {
            _tr = 0.0;
            _ti = 0.0;
        }
    }

    /// <summary>nexth: the next shifted h polynomial.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NextH(bool hs0)
    {
        int n = _nn - 1;
        if (!hs0)
        {
            for (int j = 1; j < n; j++)
            {
                double t1 = _qhr[j - 1], t2 = _qhi[j - 1];
                _hr[j] = _tr * t1 - _ti * t2 + _qpr[j];
                _hi[j] = _tr * t2 + _ti * t1 + _qpi[j];
            }
            _hr[0] = _qpr[0];
            _hi[0] = _qpi[0];
        }
        else
        {
            for (int j = 1; j < n; j++)
            {
                _hr[j] = _qhr[j - 1];
                _hi[j] = _qhi[j - 1];
            }
            _hr[0] = 0.0;
            _hi[0] = 0.0;
        }
    }

    /// <summary>polyev: Horner evaluation at s with the partial sums in q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PolyEval(int n, double sr, double si, double[] pr, double[] pi, double[] qr, double[] qi, out double vr, out double vi)
    {
        qr[0] = pr[0];
        qi[0] = pi[0];
        vr = qr[0];
        vi = qi[0];
        for (int i = 1; i < n; i++)
        {
            double t = vr * sr - vi * si + pr[i];
            qi[i] = vi = vr * si + vi * sr + pi[i];
            qr[i] = vr = t;
        }
    }

    /// <summary>errev: a bound on the rounding error of the Horner recurrence.</summary>
    private static double ErrorBound(int n, double[] qr, double[] qi, double ms, double mp, double aRe, double mRe)
    {
        double e = double.Hypot(qr[0], qi[0]) * mRe / (aRe + mRe);
        for (int i = 0; i < n; i++) e = e * ms + double.Hypot(qr[i], qi[i]);
        return e * (aRe + mRe) - mp * mRe;
    }

    /// <summary>cpoly_cauchy: a lower bound on the moduli of the zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Cauchy(int n, double[] pot, double[] q)
    {
        int n1 = n - 1;
        pot[n1] = -pot[n1];
        double x = Math.Exp((Math.Log(-pot[n1]) - Math.Log(pot[0])) / n1);
        if (pot[n1 - 1] != 0.0)
        {
            double xm = -pot[n1] / pot[n1 - 1];
            if (xm < x) x = xm;
        }
        for (; ; )
        {
            double xm = x * 0.1;
            double f = pot[0];
            for (int i = 1; i < n; i++) f = f * xm + pot[i];
            if (f <= 0.0) break;
            x = xm;
        }
        double dx = x;
        while (Math.Abs(dx / x) > 0.005)
        {
            q[0] = pot[0];
            for (int i = 1; i < n; i++) q[i] = q[i - 1] * x + pot[i];
            double f = q[n1];
            double delf = q[0];
            for (int i = 1; i < n1; i++) delf = delf * x + q[i];
            dx = f / delf;
            x -= dx;
        }
        return x;
    }

    /// <summary>cpoly_scale: a power of the base that keeps the coefficients away from overflow and underflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Scale(int n, double[] pot, double eps, double big, double small, double @base)
    {
        double high = Math.Sqrt(big);
        double lo = small / eps;
        double max = 0.0, min = big;
        for (int i = 0; i < n; i++)
        {
            double x = pot[i];
            if (x > max) max = x;
            if (x != 0.0 && x < min) min = x;
        }
        if (min < lo || max > high)
        {
            double x = lo / min;
            double sc;
            if (x <= 1.0)
            {
                sc = 1.0 / (Math.Sqrt(max) * Math.Sqrt(min));
            }
            else
            {
                sc = x;
                if (big / sc > max) sc = 1.0;
            }
            int ell = (int)(Math.Log(sc) / Math.Log(@base) + 0.5);
            return Math.Pow(@base, ell);
        }
        return 1.0;
    }

    /// <summary>cdivid: complex division avoiding overflow.</summary>
    private static void ComplexDivide(double ar, double ai, double br, double bi, out double cr, out double ci)
    {
        if (br == 0.0 && bi == 0.0)
        {
            cr = ci = double.PositiveInfinity;
        }
        else if (Math.Abs(br) >= Math.Abs(bi))
        {
            double r = bi / br;
            double d = br + r * bi;
            cr = (ar + ai * r) / d;
            ci = (ai - ar * r) / d;
        }
        else
        {
            double r = br / bi;
            double d = bi + r * br;
            cr = (ar * r + ai) / d;
            ci = (ai * r - ar) / d;
        }
    }
}
