using Forecast.Statistical.Numerics;
using Forecast.Statistical.Optimization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

/// <summary>
/// One ARIMA fit as R's <c>stats::arima()</c> computes it (arima.R), for the cases auto.arima uses: exact maximum
/// likelihood by the Kalman filter started from the conditional-sum-of-squares estimate ("CSS-ML"), or CSS alone, with
/// an optional intercept or drift regressor; AR parts kept stationary through the partial-autocorrelation transform,
/// MA parts made invertible; BFGS with numerical gradients (optim's defaults: 100 iterations, reltol √ε, the
/// regressors' parscale 10·SE); the Hessian by optimhess; R's error cases raise <see cref="ArimaFitException"/>.
/// </summary>
internal static class ArimaEstimation
{
    public static ArimaFit Fit(double[] x, ArimaOrder arma, IReadOnlyList<(string Name, double[] Values)> xreg, bool includeMean,
        ArimaMethod method, double[]? fixedValues = null, bool transformPars = true, double kappa = 1e6, int parallelism = 1,
        (double[] X, int Convergence)? cssOptimum = null, double[]? initValues = null)
    {
        int n = x.Length;
        int narma = arma.ArmaCount;
        var delta = DifferencingPolynomial(arma);
        int nd = arma.D + arma.SeasonalD;
        int nUsed = x.Count(v => !double.IsNaN(v)) - delta.Length;

        var columns = new List<(string Name, double[] Values)>(xreg);
        if (includeMean && nd == 0)
        {
            var ones = new double[n];
            Array.Fill(ones, 1.0);
            columns.Insert(0, ("intercept", ones));
        }
        int ncxreg = columns.Count;
        if (method == ArimaMethod.CssMl)
        {
            bool anyNa = x.Any(double.IsNaN) || columns.Any(c => c.Values.Any(double.IsNaN));
            if (anyNa) method = ArimaMethod.Ml;
        }
        int ncond = 0;
        if (method is ArimaMethod.Css or ArimaMethod.CssMl)
            ncond = arma.D + arma.SeasonalD * arma.Period + arma.P + arma.Period * arma.SeasonalP;

        var fixedPar = fixedValues ?? Enumerable.Repeat(double.NaN, narma + ncxreg).ToArray();
        if (fixedPar.Length != narma + ncxreg) throw new ArgumentException("wrong length for 'fixed'");
        var mask = fixedPar.Select(double.IsNaN).ToArray();
        bool noOptim = !mask.Any(m => m);
        if (noOptim) transformPars = false;
        if (transformPars)
        {
            bool arFixed = Enumerable.Range(0, arma.P).Any(i => !mask[i])
                || Enumerable.Range(arma.P + arma.Q, arma.SeasonalP).Any(i => !mask[i]);
            if (arFixed) transformPars = false;
        }

        var init0 = new double[narma + ncxreg];
        var parscale = Enumerable.Repeat(1.0, narma + ncxreg).ToArray();
        if (ncxreg > 0)
        {
            bool origXreg = ncxreg == 1 || Enumerable.Range(narma, ncxreg).Any(i => !mask[i]);
            if (!origXreg) throw new NotSupportedException("Several free regression coefficients (stats::arima rotates them by an SVD) are not supported.");
            var dx = x;
            var dxreg = columns.Select(c => c.Values).ToArray();
            if (arma.D > 0)
            {
                dx = Diff(dx, 1, arma.D);
                dxreg = dxreg.Select(c => Diff(c, 1, arma.D)).ToArray();
            }
            if (arma.Period > 1 && arma.SeasonalD > 0)
            {
                dx = Diff(dx, arma.Period, arma.SeasonalD);
                dxreg = dxreg.Select(c => Diff(c, arma.Period, arma.SeasonalD)).ToArray();
            }
            var fit = dx.Length > dxreg.Length ? Regression(dxreg, dx) : null;
            fit ??= Regression(columns.Select(c => c.Values).ToArray(), x)
                ?? throw new ArimaFitException("The regressors are degenerate.");
            int usable = 0;
            for (int i = 0; i < n; i++)
                if (!double.IsNaN(x[i]) && columns.All(c => !double.IsNaN(c.Values[i]))) usable++;
            nUsed = usable - delta.Length;
            for (int j = 0; j < ncxreg; j++)
            {
                init0[narma + j] = fit.Value.Coefficients[j];
                parscale[narma + j] = 10 * fit.Value.StandardErrors[j];
            }
        }
        if (nUsed <= 0) throw new ArimaFitException("too few non-missing observations");

        var init = (double[])init0.Clone();
        if (initValues is not null)
        {
            // arima.R's init: given values replace init0's, NA keeps init0's (the regression's coefficients or 0).
            if (initValues.Length != init0.Length) throw new ArgumentException("'init' is of the wrong length");
            for (int i = 0; i < init.Length; i++)
                if (!double.IsNaN(initValues[i])) init[i] = initValues[i];
            if (method == ArimaMethod.Ml)
            {
                // arima.R stops on a start outside the stationary region, as it does on such a CSS optimum. It then applies
                // ARIMA_Invtrans here and again before the ML optimisation below; twice-inverted AR coefficients are not
                // the start the caller gave (and NaN where the first pass leaves one outside (−1, 1): R 4.2 fails on
                // arima(AirPassengers, c(2,1,0), init = c(0.5, 0.3), method = "ML")), so we invert once, below, and the
                // optimisation starts at the given coefficients.
                if (arma.P > 0 && !ArCheck(init.AsSpan(0, arma.P)))
                    throw new ArimaFitException("non-stationary AR part");
                if (arma.SeasonalP > 0 && !ArCheck(init.AsSpan(arma.P + arma.Q, arma.SeasonalP)))
                    throw new ArimaFitException("non-stationary seasonal AR part");
            }
        }
        var coef = (double[])fixedPar.Clone();
        var maskedScale = Masked(parscale, mask);
        var xregValues = columns.Select(c => c.Values).ToArray();

        double[] Adjusted(ReadOnlySpan<double> par)
        {
            AdjustedSeries? fresh = null;
            return AdjustedInto(par, ref fresh);
        }

        // x minus the regression, written into the caller's buffer (allocated on first use): the objectives evaluate it
        // thousands of times per fit, most often at the regression coefficients of the buffer's previous call (a
        // gradient moves one coefficient at a time), which leave it as it is.
        double[] AdjustedInto(ReadOnlySpan<double> par, ref AdjustedSeries? buffer)
        {
            if (ncxreg == 0) return x;
            var series = buffer ??= new AdjustedSeries(n, ncxreg);
            if (series.Holds(par.Slice(narma, ncxreg))) return series.Values;
            var result = series.Values;
            for (int j = 0; j < ncxreg; j++)
            {
                SubtractScaled(j == 0 ? x : result, xregValues[j], par[narma + j], result);
            }
            series.Record(par.Slice(narma, ncxreg));
            return result;
        }

        double ArmaCss(ReadOnlySpan<double> p, ref AdjustedSeries? adjusted)
        {
            var par = fixedPar.AsSpan().ToArray();
            Unmask(par, mask, p);
            var (phi, theta) = ArimaParameters.Expand(par, arma, false);
            double res = ArimaKalman.ConditionalSumOfSquares(AdjustedInto(par, ref adjusted), arma, phi, theta, ncond, null);
            return 0.5 * Math.Log(res);
        }

        // Each CSS objective keeps its own buffer, so that copies can run at the same time.
        Objective CssObjective()
        {
            AdjustedSeries? adjusted = null;
            return p => ArmaCss(p, ref adjusted);
        }

        // A gradient's CSS evaluations in one loop (ArimaKalman.ConditionalSumOfSquaresBatch): the same values. Each
        // batch keeps its own lane buffers, like each objective.
        BatchObjective CssBatch()
        {
            var cssLanes = new AdjustedSeries?[8];
            return (points, values) =>
            {
                if (cssLanes.Length < points.Length) Array.Resize(ref cssLanes, points.Length);
                var ys = new double[points.Length][];
                var phis = new double[points.Length][];
                var thetas = new double[points.Length][];
                AdjustedSeries? previous = null;
                for (int k = 0; k < points.Length; k++)
                {
                    var par = fixedPar.AsSpan().ToArray();
                    Unmask(par, mask, points[k]);
                    (phis[k], thetas[k]) = ArimaParameters.Expand(par, arma, false);
                    // A lane with the previous lane's regression coefficients shares its series (and its differencing).
                    if (previous is not null && previous.Holds(par.AsSpan(narma, ncxreg)))
                    {
                        ys[k] = previous.Values;
                        continue;
                    }
                    ys[k] = AdjustedInto(par, ref cssLanes[k]);
                    previous = cssLanes[k];
                }
                ArimaKalman.ConditionalSumOfSquaresBatch(ys, arma, phis, thetas, ncond, values);
                for (int k = 0; k < values.Length; k++) values[k] = 0.5 * Math.Log(values[k]);
            };
        }

        // Each exact-likelihood objective keeps its own state-space model and filter buffers, so that copies can run
        // at the same time (the gradient's evaluations, on long series with large states).
        Objective ExactObjective(bool trans)
        {
            ArimaStateSpace? z = null;
            KalmanWorkspace? workspace = null;
            AdjustedSeries? adjusted = null;
            var chandrasekhar = new ArmaChandrasekhar();
            return p => ArmaFn(p, trans, ref z, ref workspace, ref adjusted, chandrasekhar);
        }
        // A gradient's exact evaluations four at a time (ArmaChandrasekhar.Likelihood4): the same values as ArmaFn's;
        // lanes where the recursions do not apply go through ArmaFn.
        BatchObjective? ExactBatch(bool trans)
        {
            if (!UseChandrasekhar) return null;
            var single = ExactObjective(trans);
            ArimaStateSpace? lane = null;
            var starts = new[] { new ArmaChandrasekhar(), new ArmaChandrasekhar(), new ArmaChandrasekhar(), new ArmaChandrasekhar() };
            var mms = new double[4][];
            for (int i = 0; i < 4; i++) mms[i] = new double[9];
            var fs = new double[4];
            var ys = new double[4][];
            var index = new int[4];
            var results = new (double Ssq, double SumLog, int Count)[4];
            var adjustedLanes = new AdjustedSeries?[4];
            var q0Phis = new double[4][];
            var q0Thetas = new double[4][];
            var q0Results = new double[4][];
            return (points, values) =>
            {
                int pending = 0;
                var phis = new double[points.Length][];
                var thetas = new double[points.Length][];
                var pars = new double[points.Length][];
                for (int k = 0; k < points.Length; k++)
                {
                    var par = pars[k] = fixedPar.AsSpan().ToArray();
                    Unmask(par, mask, points[k]);
                    (phis[k], thetas[k]) = ArimaParameters.Expand(par, arma, trans);
                }
                var q0s = Q0Ahead(phis, thetas, lane, q0Phis, q0Thetas, q0Results);
                void Flush()
                {
                    if (pending == 0) return;
                    ArmaChandrasekhar.Likelihood4(ys, lane!, starts, mms, fs, pending, results);
                    for (int j = 0; j < pending; j++)
                    {
                        var (ssq, sumlog, nu) = results[j];
                        values[index[j]] = 0.5 * (Math.Log(ssq / nu) + sumlog / nu);
                    }
                    pending = 0;
                }
                for (int k = 0; k < points.Length; k++)
                {
                    var (par, phi, theta) = (pars[k], phis[k], thetas[k]);
                    try
                    {
                        if (lane is null) lane = new ArimaStateSpace(phi, theta, delta, kappa, q0s?[k]);
                        else lane.Reset(phi, theta, q0s?[k]);
                    }
                    catch (ArgumentException)
                    {
                        values[k] = double.MaxValue;
                        continue;
                    }
                    var adjusted = AdjustedInto(par, ref adjustedLanes[pending]);
                    if (!starts[pending].TryStart(adjusted, lane, mms[pending], out fs[pending]))
                    {
                        values[k] = single(points[k]);
                        continue;
                    }
                    ys[pending] = adjusted;
                    index[pending] = k;
                    if (++pending == 4) Flush();
                }
                Flush();
            };
        }
        int stateDimension = Math.Max(arma.P + arma.Period * arma.SeasonalP, arma.Q + arma.Period * arma.SeasonalQ + 1) + delta.Length;
        int gradientThreads = (long)n * stateDimension * stateDimension >= 200_000 ? parallelism : 1;

        // optim's objectives in scaled coordinates, each with buffers of its own: made again for a deferred Hessian, so
        // that a fit whose covariance is never asked for keeps none of its optimisation's workspaces alive.
        ScaledObjective CssScaled() =>
            new(CssObjective(), maskedScale, fork: CssObjective, parallelism: gradientThreads, batch: CssBatch());
        ScaledObjective ExactScaled(bool trans) =>
            new(ExactObjective(trans), maskedScale, fork: () => ExactObjective(trans), parallelism: gradientThreads, batch: ExactBatch(trans));

        double ArmaFn(ReadOnlySpan<double> p, bool trans, ref ArimaStateSpace? z, ref KalmanWorkspace? workspace, ref AdjustedSeries? adjustedBuffer,
            ArmaChandrasekhar chandrasekhar)
        {
            var par = fixedPar.AsSpan().ToArray();
            Unmask(par, mask, p);
            var (phi, theta) = ArimaParameters.Expand(par, arma, trans);
            try
            {
                if (z is null) z = new ArimaStateSpace(phi, theta, delta, kappa);
                else z.Reset(phi, theta);
            }
            catch (ArgumentException)
            {
                return double.MaxValue;
            }
            var adjusted = AdjustedInto(par, ref adjustedBuffer);
            // The Chandrasekhar recursions compute the filter's sums in O(r + d) a step; the Kalman filter (R's
            // ARIMA_Like) where they do not apply (missing values, an inexact Q0).
            var (ssq, sumlog, nu) = (UseChandrasekhar ? chandrasekhar.Likelihood(adjusted, z) : null)
                ?? ArimaKalman.Likelihood(adjusted, z, null, workspace ??= new KalmanWorkspace(z.Dimension));
            double s2 = ssq / nu;
            return 0.5 * (Math.Log(s2) + sumlog / nu);
        }

        double sigma2;
        Lazy<double[,]?> covariance = new((double[,]?)null);
        (double[] X, int Convergence)? cssResult = null;
        double[] residuals;
        Lazy<ArimaStateSpace> model;
        double value;
        int convergence;
        try
        {
            if (method == ArimaMethod.Css)
            {
                OptimizationResult res;
                if (noOptim)
                {
                    res = new OptimizationResult([], CssObjective()([]), 0, 0);
                }
                else
                {
                    res = Optim(CssScaled(), Masked(init, mask));
                    cssResult = (res.X, res.Convergence);
                    var at = res.X;
                    covariance = Deferred(() =>
                    {
                        var hessian = CssScaled().Hessian(at);
                        return LinearSolve.Solve(Scale(hessian, nUsed), Identity(hessian.GetLength(0)))
                            ?? throw new ArimaFitException("system is computationally singular (CSS Hessian)");
                    });
                }
                Unmask(coef, mask, res.X);
                var (phi, theta) = ArimaParameters.Expand(coef, arma, false);
                if (Math.Max(phi.Length, theta.Length + 1) > 350) throw new ArgumentException("maximum supported lag is 350");
                var adjusted = Adjusted(coef);
                // arimaSS(x, mod): the filtered state, made when a forecast first needs it.
                model = new Lazy<ArimaStateSpace>(() =>
                {
                    var filtered = new ArimaStateSpace(phi, theta, delta, kappa);
                    ArimaKalman.Likelihood(adjusted, filtered, new double[n]);
                    return filtered;
                });
                residuals = new double[n];
                sigma2 = ArimaKalman.ConditionalSumOfSquares(adjusted, arma, phi, theta, ncond, residuals);
                value = res.Value;
                convergence = res.Convergence;
            }
            else
            {
                if (method == ArimaMethod.CssMl)
                {
                    if (!noOptim)
                    {
                        // The CSS stage is the CSS fit of the same model and data: given that fit's optimum (auto.arima's
                        // exact refit of a candidate its approximate search fitted), it is not optimised again.
                        if (cssOptimum is not { } css)
                        {
                            var optimum = Optim(CssScaled(), Masked(init, mask));
                            css = (optimum.X, optimum.Convergence);
                        }
                        if (css.Convergence == 0) Unmask(init, mask, css.X);
                    }
                    if (arma.P > 0 && !ArCheck(init.AsSpan(0, arma.P)))
                        throw new ArimaFitException("non-stationary AR part from CSS");
                    if (arma.SeasonalP > 0 && !ArCheck(init.AsSpan(arma.P + arma.Q, arma.SeasonalP)))
                        throw new ArimaFitException("non-stationary seasonal AR part from CSS");
                    ncond = 0;
                }
                if (transformPars)
                {
                    init = ArimaParameters.Inverse(init, arma);
                    if (arma.Q > 0) MaInvert(init.AsSpan(arma.P, arma.Q));
                    if (arma.SeasonalQ > 0) MaInvert(init.AsSpan(arma.P + arma.Q + arma.SeasonalP, arma.SeasonalQ));
                }
                OptimizationResult res;
                Func<double[,]>? hessianAtOptimum = null;
                bool trans = transformPars;
                if (noOptim)
                {
                    res = new OptimizationResult([], ExactObjective(trans)([]), 0, 0);
                }
                else
                {
                    res = Optim(ExactScaled(trans), Masked(init, mask));
                    var at = res.X;
                    hessianAtOptimum = () => ExactScaled(trans).Hessian(at);
                }
                Unmask(coef, mask, res.X);
                if (transformPars)
                {
                    if (arma.Q > 0 && Enumerable.Range(arma.P, arma.Q).All(i => mask[i]))
                        MaInvert(coef.AsSpan(arma.P, arma.Q));
                    int sq = arma.P + arma.Q + arma.SeasonalP;
                    if (arma.SeasonalQ > 0 && Enumerable.Range(sq, arma.SeasonalQ).All(i => mask[i]))
                        MaInvert(coef.AsSpan(sq, arma.SeasonalQ));
                    var now = Masked(coef, mask);
                    if (!now.AsSpan().SequenceEqual(res.X))
                    {
                        // Re-evaluate at the inverted MA coefficients (maxit = 0) for the Hessian there.
                        int oldCode = res.Convergence;
                        var objective = ExactScaled(true);
                        var scaled = new double[now.Length];
                        for (int i = 0; i < now.Length; i++) scaled[i] = now[i] / maskedScale[i];
                        var again = Bfgs.Minimize(objective, scaled, maxit: 0);
                        var par = new double[now.Length];
                        for (int i = 0; i < now.Length; i++) par[i] = again.X[i] * maskedScale[i];
                        hessianAtOptimum = () => ExactScaled(true).Hessian(par);
                        res = new OptimizationResult(par, again.Value, again.Evaluations, oldCode);
                        Unmask(coef, mask, res.X);
                    }
                    var hessianOf = hessianAtOptimum!;
                    var transformed = (double[])coef.Clone();
                    covariance = Deferred(() =>
                    {
                        var jacobian = Submatrix(ArimaParameters.Jacobian(transformed, arma), mask);
                        var solved = LinearSolve.Solve(Scale(hessianOf(), nUsed), jacobian)
                            ?? throw new ArimaFitException("system is computationally singular (Hessian)");
                        return Multiply(Transpose(jacobian), solved);
                    });
                    coef = ArimaParameters.Undo(coef, arma);
                }
                else if (hessianAtOptimum is { } hessianOf)
                {
                    covariance = Deferred(() =>
                    {
                        var hessian = hessianOf();
                        return LinearSolve.Solve(Scale(hessian, nUsed), Identity(hessian.GetLength(0)))
                            ?? throw new ArimaFitException("system is computationally singular (Hessian)");
                    });
                }
                var (phi, theta) = ArimaParameters.Expand(coef, arma, false);
                var filtered = new ArimaStateSpace(phi, theta, delta, kappa);
                residuals = new double[n];
                var (ssq, _, _) = ArimaKalman.Likelihood(Adjusted(coef), filtered, residuals);
                model = new Lazy<ArimaStateSpace>(filtered);
                sigma2 = ssq / nUsed;
                value = res.Value;
                convergence = res.Convergence;
            }
        }
        catch (OptimizationException e)
        {
            throw new ArimaFitException(e.Message);
        }

        double minus2LogLik = 2 * nUsed * value + nUsed + nUsed * Math.Log(2 * Math.PI);
        double aic = method != ArimaMethod.Css ? minus2LogLik + 2 * mask.Count(m => m) + 2 : double.NaN;
        var names = new List<string>();
        for (int i = 1; i <= arma.P; i++) names.Add($"ar{i}");
        for (int i = 1; i <= arma.Q; i++) names.Add($"ma{i}");
        for (int i = 1; i <= arma.SeasonalP; i++) names.Add($"sar{i}");
        for (int i = 1; i <= arma.SeasonalQ; i++) names.Add($"sma{i}");
        names.AddRange(columns.Select(c => c.Name));
        return new ArimaFit(arma, coef, [.. names], mask, sigma2, -0.5 * minus2LogLik, aic, residuals, nUsed, model, convergence, method, covariance) { CssOptimum = cssResult };
    }

    /// <summary>
    /// Q0 for a batch's points, four at a time (<see cref="ArimaKalman.Q0Lanes"/>), for those whose coefficients
    /// differ from the last ones Q0 was computed for — the points at which <see cref="ArimaStateSpace.Reset(double[], double[])"/>,
    /// called point after point on <paramref name="model"/>, would compute it; null where it would keep the one it holds
    /// (or the whole result null when the lanes do not apply). Each Q0 is the scalar call's to the bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[]?[]? Q0Ahead(double[][] phis, double[][] thetas, ArimaStateSpace? model, double[][] lanePhis, double[][] laneThetas,
        double[][] laneResults)
    {
        if (phis.Length < 2 || !ArimaKalman.HasQ0Lanes(phis[0].Length, thetas[0].Length)) return null;
        int r = Math.Max(phis[0].Length, thetas[0].Length + 1);
        var lastPhi = model?.Q0Phi;
        var lastTheta = model?.Q0Theta;
        var todo = new List<int>();
        for (int k = 0; k < phis.Length; k++)
        {
            var theta = thetas[k];
            var padded = theta.Length < r - 1 ? [.. theta, .. new double[r - 1 - theta.Length]] : theta;
            if (lastPhi is not null && phis[k].AsSpan().SequenceEqual(lastPhi) && padded.AsSpan().SequenceEqual(lastTheta)) continue;
            todo.Add(k);
            (lastPhi, lastTheta) = (phis[k], padded);
        }
        if (todo.Count < 2) return null;
        var q0s = new double[]?[phis.Length];
        for (int start = 0; start < todo.Count; start += 4)
        {
            int count = Math.Min(4, todo.Count - start);
            for (int l = 0; l < count; l++) (lanePhis[l], laneThetas[l]) = (phis[todo[start + l]], thetas[todo[start + l]]);
            ArimaKalman.Q0Lanes(lanePhis, laneThetas, count, laneResults);
            for (int l = 0; l < count; l++) q0s[todo[start + l]] = laneResults[l];
        }
        return q0s;
    }

    /// <summary>
    /// The coefficients' covariance from optimhess's Hessian, computed when first asked for: 4·k² evaluations of the
    /// objective (a tenth to a quarter of a fit's), which auto.arima needs only for the candidates that would become
    /// its best model (checkarima) — see AutoArima.Search. Failures surface as stats::arima's errors when it is read.
    /// <paramref name="covariance"/> holds the fit's inputs and optimum only (it makes its objective anew), and the
    /// Lazy drops it once evaluated: a search's unchecked candidates keep no filter or gradient workspaces alive.
    /// </summary>
    private static Lazy<double[,]?> Deferred(Func<double[,]> covariance) => new(() =>
    {
        try
        {
            return covariance();
        }
        catch (OptimizationException e)
        {
            throw new ArimaFitException(e.Message);
        }
    });

    /// <summary>A series minus its regression, with the bits of the coefficients it was computed for.</summary>
    private sealed class AdjustedSeries(int n, int ncxreg)
    {
        private readonly long[] _beta = new long[ncxreg];
        private bool _filled;

        public double[] Values { get; } = new double[n];

        /// <summary>Whether <see cref="Values"/> was computed for exactly these coefficients (bit for bit: x − c·(−0) and x − c·(+0) can differ).</summary>
        public bool Holds(ReadOnlySpan<double> beta)
        {
            if (!_filled) return false;
            for (int j = 0; j < beta.Length; j++)
                if (BitConverter.DoubleToInt64Bits(beta[j]) != _beta[j]) return false;
            return true;
        }

        public void Record(ReadOnlySpan<double> beta)
        {
            for (int j = 0; j < beta.Length; j++) _beta[j] = BitConverter.DoubleToInt64Bits(beta[j]);
            _filled = true;
        }
    }

    /// <summary>Whether the exact likelihood's objective uses <see cref="ArmaChandrasekhar"/> (false: R's Kalman filter throughout; for comparisons).</summary>
    internal static bool UseChandrasekhar { get; set; } = true;

    /// <summary>optim(par, fn, method = "BFGS") with parscale: returns the optimum in the original coordinates.</summary>
    private static OptimizationResult Optim(ScaledObjective objective, double[] par)
    {
        var scale = objective.Parscale;
        var b = new double[par.Length];
        for (int i = 0; i < b.Length; i++) b[i] = par[i] / scale[i];
        var res = Bfgs.Minimize(objective, b);
        var x = new double[par.Length];
        for (int i = 0; i < x.Length; i++) x[i] = res.X[i] * scale[i];
        return res with { X = x };
    }

    /// <summary>The AR part is stationary: all roots of 1 − φ1 z − … outside the unit circle (arima.R: <c>arCheck</c>).</summary>
    public static bool ArCheck(ReadOnlySpan<double> ar)
    {
        int p = 0;
        for (int i = 0; i < ar.Length; i++) if (ar[i] != 0) p = i + 1;
        if (p == 0) return true;
        var poly = new double[p + 1];
        poly[0] = 1;
        for (int i = 0; i < p; i++) poly[i + 1] = -ar[i];
        var roots = PolynomialRoots.Roots(poly) ?? throw new ArimaFitException("root finding code failed");
        for (int i = 0; i < roots.Re.Length; i++)
            if (!(double.Hypot(roots.Re[i], roots.Im[i]) > 1)) return false;
        return true;
    }

    /// <summary>arima.R <c>maInvert</c>: reflect the MA polynomial's roots inside the unit circle to make it invertible.</summary>
    public static void MaInvert(Span<double> ma)
    {
        int q = ma.Length;
        int q0 = 0;
        for (int i = 0; i < q; i++) if (ma[i] != 0) q0 = i + 1;
        if (q0 == 0) return;
        var poly = new double[q0 + 1];
        poly[0] = 1;
        for (int i = 0; i < q0; i++) poly[i + 1] = ma[i];
        var roots = PolynomialRoots.Roots(poly) ?? throw new ArimaFitException("root finding code failed");
        var (re, im) = roots;
        bool any = false;
        for (int i = 0; i < re.Length; i++) if (double.Hypot(re[i], im[i]) < 1) any = true;
        if (!any) return;
        if (q0 == 1)
        {
            ma[0] = 1 / ma[0];
            for (int i = 1; i < q; i++) ma[i] = 0;
            return;
        }
        for (int i = 0; i < re.Length; i++)
        {
            if (double.Hypot(re[i], im[i]) < 1) (re[i], im[i]) = RComplex.Divide(1, 0, re[i], im[i]);
        }
        // x <- 1; for (r in roots) x <- c(x, 0) - c(0, x)/r
        var xr = new List<double> { 1 };
        var xi = new List<double> { 0 };
        for (int k = 0; k < re.Length; k++)
        {
            var nr = new double[xr.Count + 1];
            var ni = new double[xr.Count + 1];
            for (int i = 0; i < xr.Count; i++) { nr[i] = xr[i]; ni[i] = xi[i]; }
            for (int i = 0; i < xr.Count; i++)
            {
                var (dr, di) = RComplex.Divide(xr[i], xi[i], re[k], im[k]);
                nr[i + 1] -= dr;
                ni[i + 1] -= di;
            }
            xr = [.. nr];
            xi = [.. ni];
        }
        for (int i = 0; i < q0; i++) ma[i] = xr[i + 1];
        for (int i = q0; i < q; i++) ma[i] = 0;
    }

    /// <summary>Δ: the coefficients of (1 − B)^d (1 − B^s)^D beyond the leading 1, negated (arima.R, via TSconv).</summary>
    public static double[] DifferencingPolynomial(ArimaOrder arma)
    {
        double[] delta = [1.0];
        for (int i = 0; i < arma.D; i++) delta = Convolve(delta, [1.0, -1.0]);
        for (int i = 0; i < arma.SeasonalD; i++)
        {
            var seasonal = new double[arma.Period + 1];
            seasonal[0] = 1;
            seasonal[arma.Period] = -1;
            delta = Convolve(delta, seasonal);
        }
        return [.. delta.Skip(1).Select(v => -v)];
    }

    private static double[] Convolve(double[] a, double[] b)
    {
        var ab = new double[a.Length + b.Length - 1];
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++) ab[i + j] += a[i] * b[j];
        return ab;
    }

    /// <summary>R's <c>diff(x, lag, differences)</c>.</summary>
    public static double[] Diff(double[] x, int lag, int differences)
    {
        var result = x;
        for (int k = 0; k < differences; k++)
        {
            if (result.Length <= lag) return [];
            var next = new double[result.Length - lag];
            for (int i = 0; i < next.Length; i++) next[i] = result[i + lag] - result[i];
            result = next;
        }
        return result;
    }

    /// <summary>lm(y ~ X − 1, na.action = na.omit): coefficients and standard errors; null when X has rank 0 or is deficient.</summary>
    private static (double[] Coefficients, double[] StandardErrors)? Regression(double[][] columns, double[] y)
    {
        var rows = Enumerable.Range(0, y.Length).Where(i => !double.IsNaN(y[i]) && columns.All(c => !double.IsNaN(c[i]))).ToArray();
        int k = columns.Length, m = rows.Length;
        if (m == 0) return null;
        var xs = columns.Select(c => rows.Select(i => c[i]).ToArray()).ToList();
        var ys = rows.Select(i => y[i]).ToArray();
        var b = LeastSquares.Fit(xs, ys);
        if (b is null) return null;
        double rss = 0;
        for (int r = 0; r < m; r++)
        {
            double fit = 0;
            for (int j = 0; j < k; j++) fit += xs[j][r] * b[j];
            double e = ys[r] - fit;
            rss += e * e;
        }
        double s2 = m > k ? rss / (m - k) : double.NaN;
        var xtx = new double[k, k];
        for (int a = 0; a < k; a++)
            for (int c = 0; c < k; c++)
            {
                double s = 0;
                for (int r = 0; r < m; r++) s += xs[a][r] * xs[c][r];
                xtx[a, c] = s;
            }
        var inverse = LinearSolve.Solve(xtx, Identity(k));
        var se = new double[k];
        for (int j = 0; j < k; j++) se[j] = inverse is null ? double.NaN : Math.Sqrt(s2 * inverse[j, j]);
        return (b, se);
    }

    private static double[] Masked(double[] values, bool[] mask) => [.. values.Where((_, i) => mask[i])];

    /// <summary>
    /// result[i] = from[i] − column[i]·beta for every i (from may be result): four elements per vector operation, each
    /// with the scalar's multiplication and subtraction (no fused multiply-add), so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubtractScaled(double[] from, double[] column, double beta, double[] result)
    {
        int n = result.Length, i = 0;
        if (from.Length < n || column.Length < n) throw new ArgumentException("The regression column is shorter than the series.");
        if (Vector256.IsHardwareAccelerated)
        {
            var b = Vector256.Create(beta);
            ref double f0 = ref MemoryMarshal.GetArrayDataReference(from);
            ref double c0 = ref MemoryMarshal.GetArrayDataReference(column);
            ref double r0 = ref MemoryMarshal.GetArrayDataReference(result);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
                Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref f0, (nuint)i) - Vector256.LoadUnsafe(ref c0, (nuint)i) * b, ref r0, (nuint)i);
        }
        for (; i < n; i++) result[i] = from[i] - column[i] * beta;
    }

    private static void Unmask(double[] target, bool[] mask, ReadOnlySpan<double> values)
    {
        int k = 0;
        for (int i = 0; i < target.Length; i++)
            if (mask[i]) target[i] = values[k++];
    }

    private static double[,] Submatrix(double[,] a, bool[] mask)
    {
        var idx = Enumerable.Range(0, mask.Length).Where(i => mask[i]).ToArray();
        var s = new double[idx.Length, idx.Length];
        for (int i = 0; i < idx.Length; i++)
            for (int j = 0; j < idx.Length; j++) s[i, j] = a[idx[i], idx[j]];
        return s;
    }

    private static double[,] Identity(int n) => Matrix.Identity(n);

    private static double[,] Scale(double[,] a, double s) => Matrix.Scale(a, s);

    private static double[,] Transpose(double[,] a) => Matrix.Transpose(a);

    private static double[,] Multiply(double[,] a, double[,] b) => Matrix.Multiply(a, b);
}
