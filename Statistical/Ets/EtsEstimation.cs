using Forecast.Statistical.Numerics;
using Forecast.Statistical.Optimization;

namespace Forecast.Statistical.Ets;

/// <summary>
/// Fits one ETS form by maximum likelihood as R forecast's <c>etsmodel()</c> does: start from <c>initparam</c> and
/// <c>initstate</c>, minimise the objective over smoothing parameters and initial states together with Nelder-Mead
/// (reltol √ε, at most <c>maxit</c> evaluations), then rerun the recursions at the optimum for the likelihood,
/// information criteria and states.
/// </summary>
internal static class EtsEstimation
{
    /// <summary>R's default lower bounds of (α, β, γ, φ).</summary>
    public static readonly double[] DefaultLower = [1e-4, 1e-4, 1e-4, 0.8];

    /// <summary>R's default upper bounds of (α, β, γ, φ).</summary>
    public static readonly double[] DefaultUpper = [0.9999, 0.9999, 0.9999, 0.98];

    /// <summary>
    /// The fitted model, or null when the form has at least as many parameters as observations minus one (R returns
    /// an infinite AIC then). Throws <see cref="ModelFitException"/> where R's etsmodel stops with an error.
    /// </summary>
    public static EtsModel? Fit(double[] y, EtsForm form, int seasonLength, EtsSettings settings)
    {
        if (Prepare(y, form, seasonLength, settings) is not { } problem) return null;
        var search = problem.Search();
        while (search.Next()) search.Report(problem.Objective.Evaluate(search.Point));
        return problem.Complete(search.Result);
    }

    /// <summary>
    /// One form's estimation problem: its objective and Nelder-Mead's start (R's <c>initparam</c> and <c>initstate</c>);
    /// null when the form has at least as many parameters as observations minus one.
    /// </summary>
    public static Problem? Prepare(double[] y, EtsForm form, int seasonLength, EtsSettings settings)
    {
        int error = (int)form.Error, trend = (int)form.Trend, season = (int)form.Season;
        int m = season != EtsRecursions.None ? seasonLength : 1;
        var lower = settings.Lower;
        var upper = settings.Upper;

        var par = EtsInitialization.Parameters(trend, season, form.Damped, lower, upper, m, settings.Bounds);
        int j = 0;
        double alpha = par[j++];
        double beta = trend != EtsRecursions.None ? par[j++] : 0;
        double gamma = season != EtsRecursions.None ? par[j++] : 0;
        double phi = form.Damped ? par[j++] : 1;
        bool hasBeta = trend != EtsRecursions.None, hasGamma = season != EtsRecursions.None;
        if (!EtsParameterSpace.Check(settings.Bounds, lower, upper, alpha, beta, gamma, phi, hasBeta, hasGamma, form.Damped, m))
            throw new ModelFitException($"{form}: parameters out of range.");

        var initState = EtsInitialization.States(y, trend, season, seasonLength);
        int nstate = initState.Count;
        par.AddRange(initState);
        if (par.Count >= y.Length - 1) return null;

        var objective = new EtsObjective(y, nstate, error, trend, season, lower, upper, settings.Criterion, settings.Nmse,
            settings.Bounds, m, optAlpha: true, hasBeta, hasGamma, form.Damped, alpha, beta, gamma, phi);
        return new Problem(y, form, m, nstate, [.. par], objective, settings);
    }

    /// <summary>One form's estimation: <see cref="Search"/> minimises <see cref="Objective"/>; <see cref="Complete"/> makes the model of its result.</summary>
    internal sealed record Problem(double[] Y, EtsForm Form, int M, int Nstate, double[] Start, EtsObjective Objective, EtsSettings Settings)
    {
        /// <summary>Nelder-Mead as etsmodel calls it (reltol √ε, at most maxit evaluations).</summary>
        public NelderMeadSearch Search() =>
            new(Start, double.NegativeInfinity, Math.Sqrt(2.220446049250313e-16), 1.0, 0.5, 2.0, Settings.MaxIterations);

        /// <summary>The model at the optimum (null <paramref name="result"/>: the objective was not finite at the start).</summary>
        public EtsModel Complete(OptimizationResult? result) => Model(this, result);
    }

    private static EtsModel Model(Problem problem, OptimizationResult? optimum)
    {
        var (y, form, m, nstate, settings) = (problem.Y, problem.Form, problem.M, problem.Nstate, problem.Settings);
        int trend = (int)form.Trend, season = (int)form.Season, error = (int)form.Error;
        int np = problem.Start.Length;
        bool hasBeta = trend != EtsRecursions.None, hasGamma = season != EtsRecursions.None;
        double beta = 0, gamma = 0, phi = 1;
        var result = optimum ?? throw new ModelFitException($"{form}: the objective cannot be evaluated at the initial parameters.");
        var fit = result.X;

        int j = 0;
        double alpha = fit[j++];
        double? betaOut = null, gammaOut = null, phiOut = null;
        if (hasBeta) betaOut = beta = fit[j++];
        if (hasGamma) gammaOut = gamma = fit[j++];
        if (form.Damped) phiOut = phi = fit[j++];

        // The initial state, with the implied last seasonal state appended.
        int p = nstate + (hasGamma ? 1 : 0);
        var init = new double[p];
        for (int i = 0; i < nstate; i++) init[i] = fit[np - nstate + i];
        if (hasGamma)
        {
            double sum = 0;
            for (int i = 1 + (hasBeta ? 1 : 0); i < nstate; i++) sum += init[i];
            init[nstate] = m * (season == EtsRecursions.Mult ? 1 : 0) - sum;
        }

        int n = y.Length;
        var states = new double[p * (n + 1)];
        init.CopyTo(states, 0);
        var e = new double[n];
        var amse = new double[settings.Nmse];
        double lik = EtsRecursions.Calculate(y, states, m, error, trend, season, alpha, beta, gamma, phi, e, amse, settings.Nmse);
        if (Math.Abs(lik + 99999) < 1e-7) lik = double.NaN;

        int npar = np + 1;
        double aic = lik + 2 * npar;
        double bic = lik + Math.Log(n) * npar;
        double aicc = aic + 2.0 * npar * (npar + 1) / (n - npar - 1);
        double mse = amse[0];
        double amseMean = 0;
        foreach (double a in amse) amseMean += a;
        amseMean /= amse.Length;

        // ets(): sigma2 = sum(residuals^2) / (n - np), np counting the smoothing parameters and initial states.
        var squares = new double[n];
        int count = 0;
        foreach (double v in e)
            if (!double.IsNaN(v)) squares[count++] = v * v;
        double sigma2 = AccurateSum.Sum(squares.AsSpan(0, count)) / (n - np);

        var final = states.AsSpan(p * n, p).ToArray();
        return new EtsModel(form, new EtsParameters(alpha, betaOut, gammaOut, phiOut), init, final, y, e, sigma2,
            -0.5 * lik, aic, aicc, bic, mse, amseMean, m);
    }
}

/// <summary>The estimation settings shared by every form tried (R's ets() arguments).</summary>
internal sealed record EtsSettings(double[] Lower, double[] Upper, EtsCriterion Criterion, int Nmse, EtsBounds Bounds, int MaxIterations);
