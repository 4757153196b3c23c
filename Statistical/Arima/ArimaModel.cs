namespace Forecast.Statistical.Arima;

/// <summary>
/// A fitted ARIMA model as R forecast returns it from <c>auto.arima()</c>: the orders, coefficients (with drift or
/// mean), σ² (R forecast's residual variance with n − d − sD − k + 1 degrees of freedom), likelihood and information
/// criteria, and forecasts by the Kalman filter with Gaussian intervals (<c>forecast.Arima</c>).
/// </summary>
public sealed class ArimaModel : IFittedModel
{
    private readonly double[] _x;
    private readonly double[] _fitted;
    private readonly double[] _residuals;
    private readonly Lazy<ArimaStateSpace>? _state;
    private readonly double[] _coefficients;
    private readonly string[] _names;
    private readonly bool _constantSeries;

    internal ArimaModel(ArimaFit fit, double[] x, double sigma2, double aic, double aicc, double bic)
        : this(fit.Order, fit.Coefficients, fit.Names, x, fit.Residuals, sigma2, fit.LogLikelihood, aic, aicc, bic, fit.State, false)
    {
    }

    private ArimaModel(ArimaOrder order, double[] coefficients, string[] names, double[] x, double[] residuals, double sigma2,
        double logLikelihood, double aic, double aicc, double bic, Lazy<ArimaStateSpace>? state, bool constantSeries)
    {
        Order = order;
        _coefficients = coefficients;
        _names = names;
        _x = x;
        _residuals = residuals;
        Sigma2 = sigma2;
        LogLikelihood = logLikelihood;
        Aic = aic;
        AiccValue = aicc;
        Bic = bic;
        _state = state;
        _constantSeries = constantSeries;
        _fitted = new double[x.Length];
        for (int t = 0; t < x.Length; t++) _fitted[t] = x[t] - residuals[t];
    }

    /// <summary>auto.arima on constant data: ARIMA(0,0,0) with the constant as mean, zero residuals and variance.</summary>
    internal static ArimaModel Constant(double[] x)
    {
        double mean = x.First(v => !double.IsNaN(v));
        var residuals = x.Select(v => double.IsNaN(v) ? double.NaN : 0.0).ToArray();
        return new ArimaModel(new ArimaOrder(0, 0, 0), [mean], ["intercept"], x, residuals, 0, double.NaN, double.NaN, double.NaN, double.NaN, null, true);
    }

    public ArimaOrder Order { get; }

    /// <summary>
    /// This model applied to other data without re-estimating anything — R forecast's <c>Arima(y, model = fit)</c>:
    /// the same orders and coefficients (all fixed, so stats::arima only runs the Kalman filter over
    /// <paramref name="y"/>) and this fit's σ². The drift regressor counts 1..n from the first observation of
    /// <paramref name="y"/>, which continues this fit's drift on a longer stretch of the series starting where it
    /// started — what a rolling-origin backtest without refitting (statsforecast's <c>cross_validation(refit=False)</c>)
    /// forecasts from.
    /// </summary>
    /// <exception cref="ModelFitException">The model cannot be evaluated on these data (or it is auto.arima's model of a
    /// constant series, which has no filter to run).</exception>
    public ArimaModel Filter(ReadOnlySpan<double> y)
    {
        if (_constantSeries) throw new ModelFitException("The model of a constant series has no coefficients to filter other data with.");
        var refit = new FixedOrderArima(Order) { IncludeMean = HasMean, IncludeDrift = HasDrift, Fixed = _coefficients }.Fit(y, Math.Max(Order.Period, 1));
        return new ArimaModel(refit.Order, refit._coefficients, refit._names, refit._x, refit._residuals, Sigma2, refit.LogLikelihood, refit.Aic,
            refit.AiccValue, refit.Bic, refit._state, false);
    }

    /// <summary>The coefficients in <see cref="Coefficients"/>' order (R's <c>coef()</c>), for a start or a refit.</summary>
    internal IReadOnlyList<double> CoefficientValues => _coefficients;

    /// <summary>Coefficients by R's names: ar1…, ma1…, sar1…, sma1…, then intercept or drift.</summary>
    public IReadOnlyDictionary<string, double> Coefficients => _names.Zip(_coefficients).ToDictionary(p => p.First, p => p.Second);

    public bool HasDrift => _names.Contains("drift");

    public bool HasMean => _names.Contains("intercept");

    public string Description
    {
        get
        {
            string text = Order.ToString();
            if (HasDrift) return text + " with drift";
            if (HasMean) return text + " with non-zero mean";
            if (Order.D == 0 && Order.SeasonalD == 0) return text + " with zero mean";
            return text;
        }
    }

    public int SeasonLength => Order.Period;

    public IReadOnlyList<double> Fitted => _fitted;

    public IReadOnlyList<double> Residuals => _residuals;

    public double Sigma2 { get; }

    public double LogLikelihood { get; }

    public double Aic { get; }

    internal double AiccValue { get; }

    public double? Aicc => double.IsFinite(AiccValue) ? AiccValue : null;

    public double Bic { get; }

    public StatisticalForecast Forecast(int horizon, IReadOnlyList<double>? levels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var sorted = (levels ?? [80, 95]).Order().ToArray();
        foreach (double level in sorted)
        {
            if (!(level > 0 && level < 100))
                throw new ArgumentOutOfRangeException(nameof(levels), level, "Interval levels are percentages in (0, 100).");
        }
        double[] mean, se;
        if (_constantSeries)
        {
            mean = Enumerable.Repeat(_coefficients[0], horizon).ToArray();
            se = new double[horizon];
        }
        else
        {
            var (pred, variance) = ArimaKalman.Forecast(_state!.Value, horizon);
            mean = pred;
            int narma = Order.ArmaCount;
            for (int j = narma; j < _coefficients.Length; j++)
            {
                double beta = _coefficients[j];
                if (_names[j] == "intercept")
                    for (int h = 0; h < horizon; h++) mean[h] += beta;
                else if (_names[j] == "drift")
                    for (int h = 0; h < horizon; h++) mean[h] += (_x.Length + h + 1) * beta;
            }
            se = variance.Select(v => Math.Sqrt(v * Sigma2)).ToArray();
        }
        var lower = new double[sorted.Length][];
        var upper = new double[sorted.Length][];
        for (int i = 0; i < sorted.Length; i++)
        {
            double qq = StandardNormal.Quantile(0.5 * (1 + sorted[i] / 100));
            lower[i] = new double[horizon];
            upper[i] = new double[horizon];
            for (int h = 0; h < horizon; h++)
            {
                lower[i][h] = mean[h] - qq * se[h];
                upper[i][h] = mean[h] + qq * se[h];
            }
        }
        return new StatisticalForecast(mean, sorted, lower, upper);
    }
}
