using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Ets;

/// <summary>
/// A fitted exponential smoothing state space model (R forecast's <c>ets</c> object): its form, parameters, initial
/// and final states, fit statistics, and forecasts with analytic prediction intervals (<c>forecast.ets</c>).
/// </summary>
public sealed class EtsModel : IFittedModel
{
    private readonly double[] _y;
    private readonly double[] _fitted;
    private readonly double[] _residuals;

    internal EtsModel(EtsForm form, EtsParameters parameters, double[] initialStates, double[] finalStates, double[] y,
        double[] errors, double sigma2, double logLikelihood, double aic, double aicc, double bic, double mse, double amse, int seasonLength)
    {
        Form = form;
        Parameters = parameters;
        InitialStates = initialStates;
        FinalStates = finalStates;
        _y = y;
        Errors = errors;
        Sigma2 = sigma2;
        LogLikelihood = logLikelihood;
        Aic = aic;
        AiccValue = aicc;
        Bic = bic;
        Mse = mse;
        Amse = amse;
        SeasonLength = seasonLength;
        _fitted = new double[y.Length];
        _residuals = new double[y.Length];
        for (int t = 0; t < y.Length; t++)
        {
            _fitted[t] = form.Error == EtsComponent.Additive ? y[t] - errors[t] : y[t] / (1 + errors[t]);
            _residuals[t] = y[t] - _fitted[t];
        }
    }

    public EtsForm Form { get; }

    public EtsParameters Parameters { get; }

    /// <summary>The initial state (l, b, s1..sm as R's <c>$initstate</c>, the last seasonal state included).</summary>
    public double[] InitialStates { get; }

    /// <summary>The state after the last observation (R's <c>$states[n + 1, ]</c>), where forecasts start.</summary>
    public double[] FinalStates { get; }

    /// <summary>The innovations (R's <c>residuals(fit)</c>): y − ŷ, or (y − ŷ)/ŷ for multiplicative errors.</summary>
    public double[] Errors { get; }

    public string Description => Form.ToString();

    public int SeasonLength { get; }

    public IReadOnlyList<double> Fitted => _fitted;

    public IReadOnlyList<double> Residuals => _residuals;

    public double Sigma2 { get; }

    public double LogLikelihood { get; }

    public double Aic { get; }

    internal double AiccValue { get; }

    public double? Aicc => double.IsFinite(AiccValue) ? AiccValue : null;

    public double Bic { get; }

    /// <summary>In-sample mean squared one-step error.</summary>
    public double Mse { get; }

    /// <summary>In-sample mean squared error averaged over the first nmse horizons.</summary>
    public double Amse { get; }

    /// <summary>The observations the model was fitted to.</summary>
    public IReadOnlyList<double> Observations => _y;

    public StatisticalForecast Forecast(int horizon, IReadOnlyList<double>? levels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        levels ??= [80, 95];
        var sorted = levels.Order().ToArray();
        foreach (double level in sorted)
        {
            if (!(level > 0 && level < 100))
                throw new ArgumentOutOfRangeException(nameof(levels), level, "Interval levels are percentages in (0, 100).");
        }
        return EtsForecastDistribution.Forecast(this, horizon, sorted);
    }

    /// <summary>
    /// This model applied to other data without re-estimating anything — R forecast's
    /// <c>ets(y, model = fit, use.initial.values = TRUE)</c>: the same form, smoothing parameters and initial state, the
    /// recursions (pegelsresid.C) run over <paramref name="y"/> (missing values: its longest stretch without any, as
    /// ets' <c>na.contiguous</c>). On a longer stretch of the series this model was fitted to, starting where it
    /// started, that is this fit's own filter continued over the new observations — what a rolling-origin backtest
    /// without refitting (statsforecast's <c>cross_validation(refit=False)</c>) forecasts from. The likelihood,
    /// criteria and σ² are recomputed from the new errors with the fitted parameter count + 1, as R does.
    /// </summary>
    /// <exception cref="ModelFitException">The recursions are undefined on these data (e.g. a multiplicative state reaches zero).</exception>
    public EtsModel Filter(ReadOnlySpan<double> y, int nmse = 3)
    {
        if (nmse is < 1 or > 30) throw new ArgumentOutOfRangeException(nameof(nmse), nmse, "nmse must be in 1..30.");
        double[] data = SeriesGuards.LongestFiniteStretch(y, "ets");
        int trend = (int)Form.Trend, season = (int)Form.Season, error = (int)Form.Error;
        bool hasBeta = Form.Trend != EtsComponent.None, hasGamma = Form.Season != EtsComponent.None;
        if (error == EtsRecursions.Mult && data.Min() <= 0)
            throw new UnsuitableSeriesException("A multiplicative-error ETS model needs strictly positive data; these data have zeros or negative values.");
        double alpha = Math.Max(Parameters.Alpha, 1e-10); // ets(): "Prevent alpha being zero"
        double beta = hasBeta ? Parameters.Beta ?? 0 : 0;
        double gamma = hasGamma ? Parameters.Gamma ?? 0 : 0;
        double phi = Form.Damped ? Parameters.Phi ?? 1 : 1;

        int n = data.Length, p = InitialStates.Length;
        var states = new double[p * (n + 1)];
        InitialStates.CopyTo(states, 0);
        var e = new double[n];
        var amse = new double[nmse];
        double lik = EtsRecursions.Calculate(data, states, SeasonLength, error, trend, season, alpha, beta, gamma, phi, e, amse, nmse);
        if (Math.Abs(lik - EtsRecursions.NotAvailable) < 1e-7 || !double.IsFinite(lik))
            throw new ModelFitException($"{Form}: its recursions are undefined on these data with the fitted parameters.");

        // np = length(model$par) + 1: the smoothing parameters and the free initial states (not the implied last seasonal one), plus one.
        int np = 1 + (hasBeta ? 1 : 0) + (hasGamma ? 1 : 0) + (Form.Damped ? 1 : 0) + (p - (hasGamma ? 1 : 0)) + 1;
        double aic = lik + 2 * np;
        double bic = lik + Math.Log(n) * np;
        double aicc = aic + 2.0 * np * (np + 1) / (n - np - 1);
        double amseMean = 0;
        foreach (double a in amse) amseMean += a;
        amseMean /= amse.Length;
        double sigma2 = AccurateSum.Sum(e.Where(v => !double.IsNaN(v)).Select(v => v * v).ToArray()) / (n - np);
        var final = states.AsSpan(p * n, p).ToArray();
        return new EtsModel(Form, Parameters, InitialStates, final, data, e, sigma2, -0.5 * lik, aic, aicc, bic, amse[0], amseMean, SeasonLength);
    }
}
