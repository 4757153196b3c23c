using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Arima;

/// <summary>
/// Automatic ARIMA as R forecast 8.20's <c>auto.arima(y)</c> (newarima2.R): seasonal differences by the STL seasonal
/// strength, regular differences by repeated KPSS tests, then the stepwise search of Hyndman and Khandakar (2008)
/// from ARIMA(2,d,2)(1,D,1) over neighbouring orders and the constant, each candidate estimated by stats::arima (exact
/// likelihood by the Kalman filter from a CSS start; during the search of long or high-frequency series, CSS alone
/// with an AIC offset, then the best candidates refitted exactly), minimising AICc, rejecting near-non-stationary or
/// near-non-invertible fits (roots within 1.01 of the unit circle) and fits with a non-positive coefficient variance.
/// </summary>
public sealed partial class AutoArima : IStatisticalModel
{
    public string Name => "arima";

    /// <summary>Regular differences; null = chosen by KPSS tests (R's default).</summary>
    public int? D { get; init; }

    /// <summary>Seasonal differences; null = chosen by the seasonal-strength heuristic (R's default).</summary>
    public int? SeasonalD { get; init; }

    public int MaxP { get; init; } = 5;
    public int MaxQ { get; init; } = 5;
    public int MaxSeasonalP { get; init; } = 2;
    public int MaxSeasonalQ { get; init; } = 2;

    /// <summary>Bound on p + q + P + Q for the exhaustive search (R's <c>max.order</c>).</summary>
    public int MaxOrder { get; init; } = 5;

    public int MaxD { get; init; } = 2;
    public int MaxSeasonalD { get; init; } = 1;

    /// <summary>Only stationary models (d = D = 0).</summary>
    public bool Stationary { get; init; }

    /// <summary>Consider seasonal models (R's <c>seasonal</c>).</summary>
    public bool Seasonal { get; init; } = true;

    public InformationCriterion InformationCriterion { get; init; } = InformationCriterion.Aicc;

    /// <summary>The Hyndman-Khandakar stepwise search (true, R's default) or every model up to <see cref="MaxOrder"/>.</summary>
    public bool Stepwise { get; init; } = true;

    /// <summary>Candidates the stepwise search may fit (R's <c>nmodels</c>).</summary>
    public int MaxModels { get; init; } = 94;

    /// <summary>Search with CSS fits and an AIC offset; null = R's rule (more than 150 observations or m &gt; 12).</summary>
    public bool? Approximation { get; init; }

    public bool AllowDrift { get; init; } = true;
    public bool AllowMean { get; init; } = true;

    /// <summary>
    /// How many candidate models are fitted at once: 1, the default, fits them one after another on the calling thread
    /// — the right choice when many series are fitted in parallel, as the Trainer does. With 2 or more (−1: as many as
    /// the thread pool gives) the first candidates, and the next neighbours of the stepwise search, are fitted ahead
    /// in parallel; the search still visits them in R's order and moves on the first improvement (a neighbour fitted
    /// ahead and not visited is kept in case the search comes back to it); on long series with large states (seasonal
    /// models of hourly data) the evaluations of each numerical gradient also run in parallel. The result is the same
    /// either way.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    IFittedModel IStatisticalModel.Fit(ReadOnlySpan<double> y, int seasonLength) => Fit(y, seasonLength);

    /// <summary>Fits <paramref name="y"/>; missing values inside the series are handled by the Kalman filter (leading ones are dropped).</summary>
    public ArimaModel Fit(ReadOnlySpan<double> y, int seasonLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        if (MaxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be -1 or at least 1.");
        if (y.IsEmpty) throw new UnsuitableSeriesException("The series is empty; arima needs observations.");
        int first = -1, last = -1;
        for (int i = 0; i < y.Length; i++)
        {
            if (double.IsNaN(y[i])) continue;
            if (first < 0) first = i;
            last = i;
        }
        if (first < 0) throw new UnsuitableSeriesException("Every value of the series is missing; arima needs observations.");
        foreach (double v in y)
            if (double.IsInfinity(v)) throw new UnsuitableSeriesException("The series has infinite values; arima needs finite observations.");
        var x = y[first..].ToArray();
        int serieslength = 0;
        for (int i = first; i <= last; i++) if (!double.IsNaN(y[i])) serieslength++;

        if (SeriesGuards.IsConstant(x)) return ArimaModel.Constant(x);

        var ic = serieslength <= 3 ? InformationCriterion.Aic : InformationCriterion;
        int m = Seasonal ? seasonLength : 1;
        int maxP = Math.Min(MaxP, serieslength / 3);
        int maxQ = Math.Min(MaxQ, serieslength / 3);
        int maxSP = Math.Min(MaxSeasonalP, serieslength / 3 / m);
        int maxSQ = Math.Min(MaxSeasonalQ, serieslength / 3 / m);

        int? d = D, sd = SeasonalD;
        if (Stationary) d = sd = 0;
        if (m == 1)
        {
            sd = 0;
            maxSP = maxSQ = 0;
        }
        else if (sd is null && x.Length <= 2 * m)
        {
            sd = 0;
        }
        else if (sd is null)
        {
            sd = Math.Min(UnitRootTests.SeasonalDifferences(x, m), MaxSeasonalD);
            if (sd > 0 && ArimaEstimation.Diff(x, m, sd.Value).All(double.IsNaN)) sd--;
        }
        var dx = sd > 0 ? ArimaEstimation.Diff(x, m, sd.Value) : x;
        if (d is null)
        {
            d = UnitRootTests.RegularDifferences(dx, MaxD);
            if (d > 0 && ArimaEstimation.Diff(dx, 1, d.Value).All(double.IsNaN)) d--;
        }
        if (d > 0) dx = ArimaEstimation.Diff(dx, 1, d.Value);
        int dd = d.Value, sdd = sd!.Value;

        if (dx.Length == 0) throw new UnsuitableSeriesException("Not enough data to proceed: the differenced series is empty.");
        if (SeriesGuards.IsConstant(dx)) return DifferencedConstant(x, dx, dd, sdd, m);

        if (m > 1)
        {
            if (maxSP > 0) maxP = Math.Min(maxP, m - 1);
            if (maxSQ > 0) maxQ = Math.Min(maxQ, m - 1);
        }

        bool approximation = Approximation ?? (x.Length > 150 || seasonLength > 12);
        double offset = 0;
        if (approximation)
        {
            try
            {
                var white = ArimaEstimation.Fit(x, new ArimaOrder(0, dd, 0, 0, sdd, 0, m), [], includeMean: true, ArimaMethod.CssMl);
                _ = white.Covariance; // stats::arima computes it, and fails where it cannot (offset 0 then)
                offset = -2 * white.LogLikelihood - serieslength * Math.Log(white.Sigma2);
            }
            catch (Exception e) when (e is ArimaFitException or ArgumentException)
            {
                offset = 0;
            }
        }

        bool allowDrift = AllowDrift && dd + sdd == 1;
        bool allowMean = AllowMean && dd + sdd == 0;
        bool constant = allowDrift || allowMean;
        var search = new Search(x, serieslength, m, dd, sdd, ic, approximation, offset, MaxDegreeOfParallelism);

        Candidate best;
        if (!Stepwise)
        {
            best = search.Exhaustive(maxP, maxQ, maxSP, maxSQ, MaxOrder, constant);
        }
        else
        {
            best = search.Stepwise(maxP, maxQ, maxSP, maxSQ, constant, allowDrift, allowMean, MaxModels);
        }
        if (best.Model is null || double.IsPositiveInfinity(best.Ic))
            throw new ModelFitException("No suitable ARIMA model found.");
        return best.Model;
    }

    /// <summary>auto.arima's special cases when the differenced series is constant (a polynomial trend).</summary>
    private static ArimaModel DifferencedConstant(double[] x, double[] dx, int d, int sd, int m)
    {
        var order = new ArimaOrder(0, d, 0, 0, sd, 0, m);
        ArimaFit fit;
        if (sd > 0 && d == 0)
        {
            var drift = Enumerable.Range(1, x.Length).Select(i => (double)i).ToArray();
            fit = ArimaEstimation.Fit(x, order, [("drift", drift)], false, ArimaMethod.CssMl, [AccurateSum.MeanIgnoringNaN(dx) / m]);
        }
        else if (sd > 0 || d == 2)
        {
            fit = ArimaEstimation.Fit(x, order, [], false, ArimaMethod.CssMl);
        }
        else if (d < 2)
        {
            if (d == 0)
                fit = ArimaEstimation.Fit(x, order, [], true, ArimaMethod.CssMl, [AccurateSum.MeanIgnoringNaN(dx)]);
            else
            {
                var drift = Enumerable.Range(1, x.Length).Select(i => (double)i).ToArray();
                fit = ArimaEstimation.Fit(x, order, [("drift", drift)], false, ArimaMethod.CssMl, [AccurateSum.MeanIgnoringNaN(dx)]);
            }
        }
        else
        {
            throw new UnsuitableSeriesException("The data follow a simple polynomial and are not suitable for ARIMA modelling.");
        }
        _ = fit.Covariance; // stats::arima's errors at fit time
        // forecast's Arima(): criteria from the exact likelihood, sigma2 with nstar - npar + 1 degrees of freedom.
        int npar = fit.Mask.Count(v => v) + 1;
        int nstar = Search.Interior(x) - d - sd * m;
        double aicc = fit.Aic + 2 * npar * ((double)nstar / (nstar - npar - 1) - 1);
        double bic = fit.Aic + npar * (Math.Log(nstar) - 2);
        return new ArimaModel(fit, x, Search.UnbiasedSigma2(fit, nstar, npar), fit.Aic, aicc, bic);
    }

    /// <summary>A candidate's orders, whether it has a constant, its information criterion and the fit.</summary>
    internal sealed record Candidate(int P, int Q, int SP, int SQ, bool Constant, double Ic, ArimaModel? Model)
    {
        /// <summary>The fit whose checkarima (a coefficient variance that is negative or fails) is still to be made; null once made.</summary>
        internal ArimaFit? Unchecked { get; init; }

        /// <summary>A CSS candidate's optimum, for the exact refit of the same model.</summary>
        internal (double[] X, int Convergence)? CssOptimum { get; init; }

        private Candidate? _checked;

        /// <summary>
        /// This candidate after myarima's checks: the IC infinite when the AR or MA polynomial has a root within 1.01 of
        /// the unit circle or some coefficient variance is negative (checkarima), no model at all when the covariance
        /// cannot be computed (stats::arima's error at fit time).
        /// </summary>
        public Candidate Checked()
        {
            if (Unchecked is not { } fit) return this;
            return _checked ??= Check(fit);
        }

        private Candidate Check(ArimaFit fit)
        {
            try
            {
                _ = fit.Covariance;
            }
            catch (Exception e) when (e is ArimaFitException or ArgumentException or NotSupportedException)
            {
                // The same failures that reject a candidate whose fit throws (Search.Fit): the covariance, deferred, was
                // once made inside that fit.
                return new Candidate(P, Q, SP, SQ, Constant, double.PositiveInfinity, null);
            }
            return Search.Rejects(fit, Ic)
                ? this with { Ic = double.PositiveInfinity, Unchecked = null }
                : this with { Unchecked = null };
        }
    }
}
