namespace Forecast.Prophet.Rstan;

/// <summary>
/// Stan's L-BFGS optimiser (stan/optimization/bfgs.hpp <c>BFGSMinimizer::step</c>, bfgs_linesearch.hpp
/// <c>WolfeLineSearch</c>/<c>WolfLSZoom</c>/<c>CubicInterp</c>, lbfgs_update.hpp <c>LBFGSUpdate</c>) with the
/// settings rstan's <c>optimizing</c> uses by default and prophet does not change (spec §10): history 5,
/// init_alpha 1e-3, tol_obj 1e-12, tol_rel_obj 1e4, tol_grad 1e-8, tol_rel_grad 1e7, tol_param 1e-8, 10000 iterations.
/// Dot products and norms add in Eigen's order (<see cref="EigenKernels.Dot"/>) and every other expression keeps
/// the C++'s operation order, so with rstan's own arithmetic for the objective (<see cref="RstanObjective"/>) the
/// iterations are rstan's, bit for bit.
/// </summary>
internal sealed class StanLbfgs
{
    public int HistorySize { get; init; } = 5;
    public double InitAlpha { get; init; } = 1e-3;
    public double TolObj { get; init; } = 1e-12;
    public double TolRelObj { get; init; } = 1e4;
    public double TolGrad { get; init; } = 1e-8;
    public double TolRelGrad { get; init; } = 1e7;
    public double TolParam { get; init; } = 1e-8;
    public int MaxIterations { get; init; } = 10000;

    /// <summary>
    /// Called after every iteration with what rstan's <c>optimizing(verbose = TRUE, refresh = 1)</c> prints
    /// (stan/services/optimize/lbfgs.hpp); null (default) traces nothing.
    /// </summary>
    public Action<StanLbfgsIteration>? Trace { get; init; }

    // std::numeric_limits<double>::epsilon(), which Stan multiplies the relative tolerances by.
    private const double MachineEpsilon = 2.220446049250313e-16;

    // LSOptions defaults (bfgs.hpp).
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const double MinAlpha = 1e-12;
    private const int MaxLineSearchIterations = 20;
    private const int MaxLineSearchRestarts = 10;

    public OptimizationResult Minimize(GradientFunction function, double[] x0, CancellationToken cancellationToken = default)
    {
        var n = x0.Length;
        long evaluations = 0;
        if (Trace is not null)
        {
            // ModelAdaptor::fevals counts every evaluation with a gradient, the initial one included.
            var inner = function;
            function = (x, g) =>
            {
                evaluations++;
                return inner(x, g);
            };
        }

        var xk = (double[])x0.Clone();
        var gk = new double[n];
        var fk = function(xk, gk);
        if (!double.IsFinite(fk) || !AllFinite(gk))
        {
            throw new InvalidOperationException("Error evaluating the initial L-BFGS point: the log posterior or its gradient is not finite at the init.");
        }

        var pk = new double[n];
        for (var i = 0; i < n; i++)
        {
            pk[i] = -gk[i];
        }

        var xk1 = new double[n];
        var gk1 = new double[n];
        var pk1 = new double[n];
        double fk1 = 0, alphak1 = 0;
        var history = new LbfgsHistory(HistorySize, n);
        var sk = new double[n];
        var yk = new double[n];
        var work = new LineSearchWork(n);

        for (var iteration = 1; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var resetB = iteration == 1 ? 1 : 0;
            double alpha, alpha0;
            while (true)
            {
                if (resetB != 0)
                {
                    for (var i = 0; i < n; i++)
                    {
                        pk[i] = -gk[i];
                    }
                }

                if (iteration > 1 && resetB != 2)
                {
                    alpha = Math.Min(1.0, 1.01 * CubicInterp(Dot(gk1, pk1), alphak1, fk - fk1, Dot(gk, pk1), MinAlpha, 1.0));
                }
                else
                {
                    alpha = InitAlpha;
                }

                alpha0 = alpha;

                // On success xk1/fk1/gk1 hold the new point (as Stan's _xk_1, _fk_1, _gk_1 before its swap).
                var failed = WolfeLineSearch(function, ref alpha, xk1, out fk1, gk1, pk, xk, fk, gk, work);
                if (failed)
                {
                    if (resetB != 0)
                    {
                        Trace?.Invoke(new StanLbfgsIteration(iteration, -fk, Norm(pk1) * alphak1, Norm(gk), alpha, alpha0, evaluations, "LS failed, Hessian reset", -1));
                        return new OptimizationResult(xk, fk, -1, iteration, "LBFGS");
                    }

                    resetB = 2;
                    continue;
                }

                break;
            }

            // swap so that k is the newest iterate and k-1 the previous one
            (fk, fk1) = (fk1, fk);
            (xk, xk1) = (xk1, xk);
            (gk, gk1) = (gk1, gk);
            (pk, pk1) = (pk1, pk);
            for (var i = 0; i < n; i++)
            {
                sk[i] = xk[i] - xk1[i];
                yk[i] = gk[i] - gk1[i];
            }

            var gradNorm = Norm(gk);
            var stepNorm = Norm(sk);
            if (resetB != 0)
            {
                var b0 = history.Update(yk, sk, reset: true);
                for (var i = 0; i < n; i++)
                {
                    pk1[i] /= b0;
                }

                alphak1 = alpha * b0;
            }
            else
            {
                history.Update(yk, sk, reset: false);
                alphak1 = alpha;
            }

            history.SearchDirection(pk, gk);

            int code;
            if (Math.Abs(fk1 - fk) < TolObj)
            {
                code = 20;
            }
            else if (gradNorm < TolGrad)
            {
                code = 30;
            }
            else if (stepNorm < TolParam)
            {
                code = 10;
            }
            else if (iteration >= MaxIterations)
            {
                code = 40;
            }
            else if (Math.Abs(fk1 - fk) / Math.Max(Math.Abs(fk1), Math.Max(Math.Abs(fk), 1.0)) < TolRelObj * MachineEpsilon)
            {
                code = 21;
            }
            else if (-Dot(pk, gk) / Math.Max(Math.Abs(fk), 1.0) < TolRelGrad * MachineEpsilon)
            {
                code = 31;
            }
            else
            {
                code = 0;
            }

            Trace?.Invoke(new StanLbfgsIteration(iteration, -fk, Norm(pk1) * alphak1, gradNorm, alpha, alpha0, evaluations, resetB == 2 ? "LS failed, Hessian reset" : "", code));
            if (code != 0)
            {
                return new OptimizationResult(xk, fk, code, iteration, "LBFGS");
            }
        }
    }

    private sealed class LineSearchWork(int n)
    {
        public double[] PreviousGradient { get; } = new double[n];
    }

    /// <summary>bfgs_linesearch.hpp WolfeLineSearch: strong Wolfe conditions, expanding by 10, zoom by cubic interpolation.</summary>
    private static bool WolfeLineSearch(GradientFunction func, ref double alpha, double[] x1, out double f1, double[] g1,
        double[] p, double[] x0, double f0, double[] g0, LineSearchWork work)
    {
        var dfp = Dot(g0, p);
        var c1dfp = C1 * dfp;
        var c2dfp = C2 * dfp;
        var alpha0 = MinAlpha;
        var alpha1 = alpha;
        var prevF = f0;
        var prevDFp = dfp;
        int nits = 0, restarts = 0;
        f1 = f0;
        while (true)
        {
            if (nits >= MaxLineSearchIterations)
            {
                return true;
            }

            Step(x0, alpha1, p, x1);
            f1 = func(x1, g1);
            if (!double.IsFinite(f1) || !AllFinite(g1))
            {
                if (restarts >= MaxLineSearchRestarts)
                {
                    return true;
                }

                alpha1 = 0.5 * (alpha0 + alpha1);
                restarts++;
                continue;
            }

            restarts = 0;
            var newDFp = Dot(g1, p);
            if (f1 > f0 + (alpha * c1dfp) || (f1 >= prevF && nits > 0))
            {
                return Zoom(ref alpha, x1, ref f1, g1, func, x0, f0, c1dfp, c2dfp, p, alpha0, prevF, prevDFp, alpha1, f1, newDFp);
            }

            if (Math.Abs(newDFp) <= -c2dfp)
            {
                alpha = alpha1;
                return false;
            }

            if (newDFp >= 0)
            {
                return Zoom(ref alpha, x1, ref f1, g1, func, x0, f0, c1dfp, c2dfp, p, alpha1, f1, newDFp, alpha0, prevF, prevDFp);
            }

            alpha0 = alpha1;
            prevF = f1;
            prevDFp = newDFp;
            alpha1 *= 10.0;
            nits++;
        }
    }

    /// <summary>bfgs_linesearch.hpp WolfLSZoom (min_range 1e-16).</summary>
    private static bool Zoom(ref double alpha, double[] newX, ref double newF, double[] newDF, GradientFunction func,
        double[] x, double f, double c1dfp, double c2dfp, double[] p,
        double alo, double aloF, double aloDFp, double ahi, double ahiF, double ahiDFp)
    {
        const double minRange = 1e-16;
        var itNum = 0;
        while (true)
        {
            itNum++;
            if (Math.Abs(alo - ahi) < minRange)
            {
                return true;
            }

            if (itNum % 5 == 0)
            {
                alpha = 0.5 * (alo + ahi);
            }
            else
            {
                var d1 = aloDFp + ahiDFp - (3 * (aloF - ahiF) / (alo - ahi));
                var d2 = Math.Sqrt((d1 * d1) - (aloDFp * ahiDFp));
                if (ahi < alo)
                {
                    d2 = -d2;
                }

                alpha = ahi - ((ahi - alo) * (ahiDFp + d2 - d1) / (ahiDFp - aloDFp + (2 * d2)));
                if (!double.IsFinite(alpha)
                    || alpha < Math.Min(alo, ahi) + (0.01 * Math.Abs(alo - ahi))
                    || alpha > Math.Max(alo, ahi) - (0.01 * Math.Abs(alo - ahi)))
                {
                    alpha = 0.5 * (alo + ahi);
                }
            }

            Step(x, alpha, p, newX);
            newF = func(newX, newDF);
            while (!double.IsFinite(newF) || !AllFinite(newDF))
            {
                alpha = 0.5 * (alpha + Math.Min(alo, ahi));
                if (Math.Abs(Math.Min(alo, ahi) - alpha) < minRange)
                {
                    return true;
                }

                Step(x, alpha, p, newX);
                newF = func(newX, newDF);
            }

            var newDFp = Dot(newDF, p);
            if (newF > f + (alpha * c1dfp) || newF >= aloF)
            {
                ahi = alpha;
                ahiF = newF;
                ahiDFp = newDFp;
            }
            else
            {
                if (Math.Abs(newDFp) <= -c2dfp)
                {
                    return false;
                }

                if (newDFp * (ahi - alo) >= 0)
                {
                    ahi = alo;
                    ahiF = aloF;
                    ahiDFp = aloDFp;
                }

                alo = alpha;
                aloF = newF;
                aloDFp = newDFp;
            }
        }
    }

    /// <summary>bfgs_linesearch.hpp CubicInterp(df0, x1, f1, df1, loX, hiX): minimiser of the interpolating cubic on [loX, hiX].</summary>
    internal static double CubicInterp(double df0, double x1, double f1, double df1, double loX, double hiX)
    {
        var c3 = ((-12 * f1) + (6 * x1 * (df0 + df1))) / (x1 * x1 * x1);
        var c2 = (-((4 * df0) + (2 * df1)) / x1) + (6 * f1 / (x1 * x1));
        var c1 = df0;
        var ts = Math.Sqrt((c2 * c2) - (2.0 * c1 * c3));
        var s1 = -(c2 + ts) / c3;
        var s2 = -(c2 - ts) / c3;

        double Cubic(double v) => v * ((v * ((v * c3 / 3.0) + c2) / 2.0) + c1);

        var minF = Cubic(loX);
        var minX = loX;
        var tmp = Cubic(hiX);
        if (tmp < minF)
        {
            minF = tmp;
            minX = hiX;
        }

        if (loX < s1 && s1 < hiX)
        {
            tmp = Cubic(s1);
            if (tmp < minF)
            {
                minF = tmp;
                minX = s1;
            }
        }

        if (loX < s2 && s2 < hiX)
        {
            tmp = Cubic(s2);
            if (tmp < minF)
            {
                minX = s2;
            }
        }

        return minX;
    }

    private static void Step(double[] x0, double alpha, double[] p, double[] destination)
    {
        for (var i = 0; i < x0.Length; i++)
        {
            destination[i] = x0[i] + (alpha * p[i]);
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => EigenKernels.Dot(a, b);

    private static double Norm(ReadOnlySpan<double> a) => EigenKernels.Norm(a);

    internal static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
