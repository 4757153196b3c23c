using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Arima;

public sealed partial class AutoArima
{
    /// <summary>
    /// The candidate fits of one auto.arima call: <c>myarima</c> (one model with R forecast's criteria and checks),
    /// the stepwise search and the exhaustive one (<c>search.arima</c>), and the exact refit after an approximate search.
    /// </summary>
    internal sealed class Search(double[] x, int serieslength, int m, int d, int sd, InformationCriterion ic, bool approximation, double offset,
        int parallelism = 1)
    {
        private readonly double[] _drift = [.. Enumerable.Range(1, x.Length).Select(i => (double)i)];

        /// <summary>Fits already made (a candidate's fit depends only on its key), so a candidate fitted ahead is fitted once.</summary>
        private readonly Dictionary<(int P, int Q, int SP, int SQ, bool Constant, bool Approximate), Candidate> _fitted = [];

        /// <summary>How many candidates to fit ahead at once (1: none).</summary>
        private int Width => parallelism == -1 ? Environment.ProcessorCount : parallelism;

        /// <summary><see cref="Fit"/>, or the fit made ahead.</summary>
        private Candidate Visit(int p, int q, int sp, int sq, bool constant, bool approximate)
        {
            if (_fitted.TryGetValue((p, q, sp, sq, constant, approximate), out var known)) return known;
            var fit = Fit(p, q, sp, sq, constant, approximate);
            _fitted[(p, q, sp, sq, constant, approximate)] = fit;
            return fit;
        }

        /// <summary>Fits the candidates not fitted yet, in parallel (nothing when fitting one at a time).</summary>
        private void FitAhead(IReadOnlyList<(int P, int Q, int SP, int SQ, bool Constant, bool Approximate)> keys)
        {
            if (Width <= 1) return;
            var todo = keys.Distinct().Where(k => !_fitted.ContainsKey(k)).ToList();
            if (todo.Count < 2) return;
            var fits = new Candidate[todo.Count];
            Parallel.For(0, todo.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                i => fits[i] = Fit(todo[i].P, todo[i].Q, todo[i].SP, todo[i].SQ, todo[i].Constant, todo[i].Approximate));
            for (int i = 0; i < todo.Count; i++) _fitted[todo[i]] = fits[i];
        }

        /// <summary>Number of observations from the first to the last non-missing one, missing ones excluded.</summary>
        public static int Interior(double[] x)
        {
            int first = Array.FindIndex(x, v => !double.IsNaN(v));
            int last = Array.FindLastIndex(x, v => !double.IsNaN(v));
            int n = 0;
            for (int i = first; i <= last; i++) if (!double.IsNaN(x[i])) n++;
            return n;
        }

        /// <summary>R forecast's residual variance: Σ e² / (n* − k + 1), n* = n − d − sD.</summary>
        public static double UnbiasedSigma2(ArimaFit fit, int nstar, int npar) =>
            AccurateSum.Sum(fit.Residuals.Where(v => !double.IsNaN(v)).Select(v => v * v).ToArray()) / (nstar - npar + 1);

        /// <summary>myarima: one candidate, with IC = ∞ where R's fit fails or the model is rejected.</summary>
        public Candidate Fit(int p, int q, int sp, int sq, bool constant, bool approximate)
        {
            int n = Interior(x);
            bool useSeason = sp + sd + sq > 0 && m > 0;
            var order = useSeason ? new ArimaOrder(p, d, q, sp, sd, sq, m) : new ArimaOrder(p, d, q, 0, 0, 0, m);
            var method = approximate ? ArimaMethod.Css : ArimaMethod.CssMl;
            int diffs = d + sd;
            // The exact refit's CSS stage starts where the search's CSS fit of this model ended (the same optimisation).
            var cssOptimum = !approximate && _fitted.TryGetValue((p, q, sp, sq, constant, true), out var searched) ? searched.CssOptimum : null;
            ArimaFit fit;
            try
            {
                fit = diffs == 1 && constant
                    ? ArimaEstimation.Fit(x, order, [("drift", _drift)], includeMean: true, method, parallelism: Width, cssOptimum: cssOptimum)
                    : ArimaEstimation.Fit(x, order, [], includeMean: constant, method, parallelism: Width, cssOptimum: cssOptimum);
            }
            catch (Exception e) when (e is ArimaFitException or ArgumentException or NotSupportedException)
            {
                return new Candidate(p, q, sp, sq, constant, double.PositiveInfinity, null);
            }

            int nstar = n - d - sd * m;
            int npar = fit.Mask.Count(v => v) + 1;
            double aic = method == ArimaMethod.Css ? offset + nstar * Math.Log(fit.Sigma2) + 2 * npar : fit.Aic;
            double bic, aicc, value;
            if (!double.IsNaN(aic))
            {
                bic = aic + npar * (Math.Log(nstar) - 2);
                aicc = aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1);
                value = ic switch { InformationCriterion.Bic => bic, InformationCriterion.Aic => aic, _ => aicc };
            }
            else
            {
                aic = bic = aicc = value = double.PositiveInfinity;
            }
            double sigma2 = UnbiasedSigma2(fit, nstar, npar);

            // myarima's rejections — a root of the AR or MA polynomial within 1.01 of the unit circle (polyroot of the
            // seasonal expansion, degree up to p + P·m), checkarima (the coefficients' covariance: optimhess, 4·k²
            // evaluations) — can only make the IC infinite, so they are made when the candidate would become the best
            // one, or when the exact refit reaches it (Candidate.Checked, Rejects).
            return new Candidate(p, q, sp, sq, constant, value, new ArimaModel(fit, x, sigma2, aic, aicc, bic)) { Unchecked = fit, CssOptimum = fit.CssOptimum };
        }

        /// <summary>
        /// Whether myarima sets the IC of <paramref name="fit"/> (whose IC is <paramref name="ic"/> so far) to infinity:
        /// an AR or MA root within 1.01 of the unit circle (or the root finder failing), or checkarima.
        /// </summary>
        internal static bool Rejects(ArimaFit fit, double ic)
        {
            var order = fit.Order;
            double minroot = 2;
            var (phi, theta) = ArimaParameters.Expand(fit.Coefficients, order, false);
            if (order.P + order.SeasonalP > 0)
            {
                double? root = MinRoot(phi, negate: true);
                if (root is null) ic = double.PositiveInfinity;
                else minroot = Math.Min(minroot, root.Value);
            }
            if (order.Q + order.SeasonalQ > 0 && ic < double.PositiveInfinity)
            {
                double? root = MinRoot(theta, negate: false);
                if (root is null) ic = double.PositiveInfinity;
                else minroot = Math.Min(minroot, root.Value);
            }
            return double.IsPositiveInfinity(ic) || minroot < 1 + 1e-2 || NonPositiveVariance(fit);
        }

        /// <summary>min(Mod(polyroot(c(1, ∓coefficients)))) up to the last coefficient above 1e-8 in size; 2 when none; null when the root finder fails.</summary>
        private static double? MinRoot(double[] coefficients, bool negate)
        {
            int last = 0;
            for (int i = 0; i < coefficients.Length; i++) if (Math.Abs(coefficients[i]) > 1e-8) last = i + 1;
            if (last == 0) return 2;
            var poly = new double[last + 1];
            poly[0] = 1;
            for (int i = 0; i < last; i++) poly[i + 1] = negate ? -coefficients[i] : coefficients[i];
            return PolynomialRoots.MinModulus(poly);
        }

        /// <summary>checkarima: some coefficient variance is negative (sqrt gives NaN).</summary>
        internal static bool NonPositiveVariance(ArimaFit fit)
        {
            if (fit.Covariance is not { } v) return false;
            for (int i = 0; i < v.GetLength(0); i++)
                if (double.IsNaN(Math.Sqrt(v[i, i]))) return true;
            return false;
        }

        /// <summary>The stepwise search of auto.arima (Hyndman and Khandakar 2008, algorithm step 2).</summary>
        public Candidate Stepwise(int maxP, int maxQ, int maxSP, int maxSQ, bool constant, bool allowDrift, bool allowMean, int nmodels)
        {
            int startP = 2, startQ = 2, startSP = 1, startSQ = 1;
            if (x.Length < 10)
            {
                startP = Math.Min(startP, 1);
                startQ = Math.Min(startQ, 1);
                startSP = 0;
                startSQ = 0;
            }
            int p = Math.Min(startP, maxP), q = Math.Min(startQ, maxQ), sp = Math.Min(startSP, maxSP), sq = Math.Min(startSQ, maxSQ);
            var results = new List<Candidate>();

            // The first candidates are always fitted: ahead, together.
            var first = new List<(int, int, int, int, bool, bool)> { (p, q, sp, sq, constant, approximation), (0, 0, 0, 0, constant, approximation) };
            if (maxP > 0 || maxSP > 0) first.Add((maxP > 0 ? 1 : 0, 0, m > 1 && maxSP > 0 ? 1 : 0, 0, constant, approximation));
            if (maxQ > 0 || maxSQ > 0) first.Add((0, maxQ > 0 ? 1 : 0, 0, m > 1 && maxSQ > 0 ? 1 : 0, constant, approximation));
            if (constant) first.Add((0, 0, 0, 0, false, approximation));
            FitAhead(first);

            // best is always a checked candidate; the others are checked when they would beat it.
            var best = Visit(p, q, sp, sq, constant, approximation);
            results.Add(best);
            best = best.Checked();
            var fit = Visit(0, 0, 0, 0, constant, approximation);
            results.Add(fit);
            if (Improves(ref fit, best))
            {
                best = fit;
                p = q = sp = sq = 0;
            }
            if (maxP > 0 || maxSP > 0)
            {
                int pp = maxP > 0 ? 1 : 0, ssp = m > 1 && maxSP > 0 ? 1 : 0;
                fit = Visit(pp, 0, ssp, 0, constant, approximation);
                results.Add(fit);
                if (Improves(ref fit, best))
                {
                    best = fit;
                    p = pp;
                    sp = ssp;
                    q = sq = 0;
                }
            }
            if (maxQ > 0 || maxSQ > 0)
            {
                int qq = maxQ > 0 ? 1 : 0, ssq = m > 1 && maxSQ > 0 ? 1 : 0;
                fit = Visit(0, qq, 0, ssq, constant, approximation);
                results.Add(fit);
                if (Improves(ref fit, best))
                {
                    best = fit;
                    p = sp = 0;
                    sq = ssq;
                    q = qq;
                }
            }
            if (constant)
            {
                fit = Visit(0, 0, 0, 0, false, approximation);
                results.Add(fit);
                if (Improves(ref fit, best))
                {
                    best = fit;
                    p = q = sp = sq = 0;
                }
            }
            int k = results.Count;

            bool NewModel(int a, int b, int c, int e, bool k7) =>
                !results.Any(r => r.P == a && r.Q == b && r.SP == c && r.SQ == e && r.Constant == k7);

            int startk = 0;
            while (startk < k && k < nmodels)
            {
                startk = k;
                // Neighbours in the order R visits them: seasonal moves first, then non-seasonal, then the constant.
                (int dp, int dq, int dsp, int dsq, bool flip)[] moves =
                [
                    (0, 0, -1, 0, false), (0, 0, 0, -1, false), (0, 0, 1, 0, false), (0, 0, 0, 1, false),
                    (0, 0, -1, -1, false), (0, 0, -1, 1, false), (0, 0, 1, -1, false), (0, 0, 1, 1, false),
                    (-1, 0, 0, 0, false), (0, -1, 0, 0, false), (1, 0, 0, 0, false), (0, 1, 0, 0, false),
                    (-1, -1, 0, 0, false), (-1, 1, 0, 0, false), (1, -1, 0, 0, false), (1, 1, 0, 0, false),
                    (0, 0, 0, 0, true),
                ];
                // The neighbour a move leads to, or null when R would skip the move.
                (int, int, int, int, bool, bool)? Neighbour(int move)
                {
                    var (dp, dq, dsp, dsq, flip) = moves[move];
                    if (flip && !(allowDrift || allowMean)) return null;
                    int np = p + dp, nq = q + dq, nsp = sp + dsp, nsq = sq + dsq;
                    bool nc = flip ? !constant : constant;
                    if (np < 0 || nq < 0 || nsp < 0 || nsq < 0 || np > maxP || nq > maxQ || nsp > maxSP || nsq > maxSQ) return null;
                    if (!NewModel(np, nq, nsp, nsq, nc)) return null;
                    return (np, nq, nsp, nsq, nc, approximation);
                }
                for (int move = 0; move < moves.Length; move++)
                {
                    if (Neighbour(move) is not { } neighbour) continue;
                    var (np, nq, nsp, nsq, nc, _) = neighbour;
                    bool flip = moves[move].flip;
                    k++;
                    if (k > nmodels) break;
                    if (Width > 1 && !_fitted.ContainsKey((np, nq, nsp, nsq, nc, approximation)))
                    {
                        // Fit this neighbour and the next ones R would visit from the same model, within the budget.
                        var ahead = new List<(int, int, int, int, bool, bool)>();
                        for (int next = move; next < moves.Length && ahead.Count < Width && k + ahead.Count <= nmodels; next++)
                            if (Neighbour(next) is { } key) ahead.Add(key);
                        FitAhead(ahead);
                    }
                    fit = Visit(np, nq, nsp, nsq, nc, approximation);
                    results.Add(fit);
                    if (Improves(ref fit, best))
                    {
                        best = fit;
                        (p, q, sp, sq, constant) = (np, nq, nsp, nsq, nc);
                        if (!flip) break; // R's `next`: restart the neighbourhood from the new model
                    }
                }
            }

            // Refit the candidates by exact likelihood, best approximate IC first, until one succeeds.
            if (approximation && best.Model is not null)
            {
                foreach (var candidate in RefitOrder(results))
                {
                    var exact = Visit(candidate.P, candidate.Q, candidate.SP, candidate.SQ, candidate.Constant, approximate: false).Checked();
                    if (exact.Ic < double.PositiveInfinity)
                    {
                        best = exact;
                        break;
                    }
                }
            }
            return best;
        }

        /// <summary>Whether <paramref name="fit"/> has a lower IC than <paramref name="best"/> once checked (then <paramref name="fit"/> is the checked candidate).</summary>
        private static bool Improves(ref Candidate fit, Candidate best)
        {
            if (!(fit.Ic < best.Ic)) return false;
            fit = fit.Checked();
            return fit.Ic < best.Ic;
        }

        /// <summary>
        /// R's <c>order(results[, "ic"])</c> over the checked ICs — finite ones ascending (ties in visiting order), then
        /// the infinite ones, NaN last, each in visiting order — checking a candidate only when the walk reaches it.
        /// </summary>
        private static IEnumerable<Candidate> RefitOrder(List<Candidate> results)
        {
            var indexed = results.Select((r, i) => (Candidate: r, Index: i)).ToList();
            var rejected = new List<(Candidate Candidate, int Index)>();
            foreach (var (candidate, index) in indexed.Where(t => !double.IsNaN(t.Candidate.Ic) && !double.IsPositiveInfinity(t.Candidate.Ic))
                         .OrderBy(t => t.Candidate.Ic).ThenBy(t => t.Index))
            {
                var checkedCandidate = candidate.Checked();
                if (double.IsPositiveInfinity(checkedCandidate.Ic)) rejected.Add((checkedCandidate, index));
                else yield return checkedCandidate;
            }
            foreach (var (candidate, _) in indexed.Where(t => double.IsPositiveInfinity(t.Candidate.Ic)).Concat(rejected).OrderBy(t => t.Index))
                yield return candidate;
            foreach (var (candidate, _) in indexed.Where(t => double.IsNaN(t.Candidate.Ic)))
                yield return candidate;
        }

        /// <summary>search.arima: every model with p + q + P + Q ≤ maxOrder (with and without constant), then the exact refit.</summary>
        public Candidate Exhaustive(int maxP, int maxQ, int maxSP, int maxSQ, int maxOrder, bool constantAllowed)
        {
            Candidate? best = null;
            var all = new List<(int, int, int, int, bool, bool)>();
            for (int i = 0; i <= maxP; i++)
                for (int j = 0; j <= maxQ; j++)
                    for (int si = 0; si <= maxSP; si++)
                        for (int sj = 0; sj <= maxSQ; sj++)
                            if (i + j + si + sj <= maxOrder)
                                for (int kk = 0; kk <= (constantAllowed ? 1 : 0); kk++) all.Add((i, j, si, sj, kk == 1, approximation));
            FitAhead(all);
            for (int i = 0; i <= maxP; i++)
                for (int j = 0; j <= maxQ; j++)
                    for (int si = 0; si <= maxSP; si++)
                        for (int sj = 0; sj <= maxSQ; sj++)
                        {
                            if (i + j + si + sj > maxOrder) continue;
                            for (int kk = 0; kk <= (constantAllowed ? 1 : 0); kk++)
                            {
                                var fit = Visit(i, j, si, sj, kk == 1, approximation);
                                if (best is null ? fit.Ic < double.PositiveInfinity : fit.Ic < best.Ic)
                                {
                                    fit = fit.Checked();
                                    if (best is null ? fit.Ic < double.PositiveInfinity : fit.Ic < best.Ic) best = fit;
                                }
                            }
                        }
            if (best is null) throw new ModelFitException("No ARIMA model able to be estimated.");
            if (approximation)
            {
                var exact = Visit(best.P, best.Q, best.SP, best.SQ, best.Constant, approximate: false).Checked();
                if (exact.Ic < double.PositiveInfinity) return exact;
                return new Search(x, serieslength, m, d, sd, ic, false, offset, parallelism).Exhaustive(maxP, maxQ, maxSP, maxSQ, maxOrder, constantAllowed);
            }
            return best;
        }
    }
}
