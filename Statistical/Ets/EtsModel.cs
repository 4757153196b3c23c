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
}
