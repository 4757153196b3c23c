namespace Forecast.Statistical.Arima;

/// <summary>
/// ARIMA of given orders as R forecast 8.20's <c>Arima(y, order, seasonal, include.mean, include.drift)</c>: the
/// coefficients estimated by stats::arima (CSS-ML by default), no order search — for re-estimating the orders
/// <see cref="AutoArima"/> chose on one stretch of a series on another stretch of it (a rolling-origin backtest), as
/// <c>Arima(y, order = arimaorder(fit), include.drift = ...)</c> does. Criteria and σ² as auto.arima's refit
/// (n* − k + 1 degrees of freedom).
/// </summary>
public sealed class FixedOrderArima(ArimaOrder order) : IStatisticalModel
{
    public string Name => "arima";

    public ArimaOrder Order { get; } = order ?? throw new ArgumentNullException(nameof(order));

    /// <summary>An intercept (used only when the model has no differencing, as stats::arima).</summary>
    public bool IncludeMean { get; init; } = true;

    /// <summary>A linear drift regressor 1..n (R's <c>include.drift</c>).</summary>
    public bool IncludeDrift { get; init; }

    public ArimaMethod Method { get; init; } = ArimaMethod.CssMl;

    /// <summary>
    /// stats::arima's <c>fixed</c>: a value per coefficient in <see cref="ArimaModel.Coefficients"/>' order (AR, MA,
    /// seasonal AR, seasonal MA, intercept, drift), NaN for those to estimate; null estimates them all. With every
    /// coefficient fixed nothing is optimised: the Kalman filter only evaluates the model on the data.
    /// </summary>
    public IReadOnlyList<double>? Fixed { get; init; }

    /// <summary>
    /// stats::arima's <c>init</c>: where the optimisation starts, a value per coefficient in
    /// <see cref="ArimaModel.Coefficients"/>' order, NaN for the default start (0, or the regression's coefficient for
    /// the intercept and drift); null starts every coefficient there (R's default). With <see cref="ArimaMethod.Ml"/> the
    /// exact likelihood is optimised from these values directly (no CSS stage), and a start whose AR or seasonal AR part is
    /// not stationary is a <see cref="ModelFitException"/>, as arima's "non-stationary AR part"; non-invertible MA parts
    /// are inverted, as arima does with every start.
    /// </summary>
    public IReadOnlyList<double>? Init { get; init; }

    /// <summary>
    /// The orders, mean and drift of <paramref name="previous"/>, estimated by exact maximum likelihood starting at its
    /// coefficients — R's <c>Arima(y, order, seasonal, include.drift, init = coef(previous), method = "ML")</c>: a
    /// re-estimation on a stretch of the series close to the one <paramref name="previous"/> was fitted to (the next
    /// window of a rolling-origin backtest) starts near its optimum, and skips the CSS stage. Unlike R 4.2's arima, which
    /// applies the inverse parameter transform to a given ML start twice (and fails on some AR(2) starts), the start is
    /// transformed once, so the optimisation does start at these coefficients.
    /// </summary>
    public static FixedOrderArima StartingFrom(ArimaModel previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return new FixedOrderArima(previous.Order)
        {
            IncludeMean = previous.HasMean,
            IncludeDrift = previous.HasDrift,
            Method = ArimaMethod.Ml,
            Init = [.. previous.CoefficientValues],
        };
    }

    /// <summary>The orders, mean and drift of a fitted model, to be re-estimated on other data.</summary>
    public static FixedOrderArima Like(ArimaModel fitted)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        return new FixedOrderArima(fitted.Order) { IncludeMean = fitted.HasMean, IncludeDrift = fitted.HasDrift };
    }

    IFittedModel IStatisticalModel.Fit(ReadOnlySpan<double> y, int seasonLength) => Fit(y, seasonLength);

    /// <summary>
    /// Fits <paramref name="y"/> (leading missing values dropped, inner ones handled by the Kalman filter). The orders'
    /// period is the model's; <paramref name="seasonLength"/> must equal it when the orders are seasonal.
    /// </summary>
    /// <exception cref="ModelFitException">stats::arima fails on these data (e.g. a non-stationary AR part from CSS).</exception>
    public ArimaModel Fit(ReadOnlySpan<double> y, int seasonLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        bool seasonal = Order.SeasonalP + Order.SeasonalD + Order.SeasonalQ > 0;
        if (seasonal && seasonLength != Order.Period)
            throw new ArgumentException($"The orders {Order} have period {Order.Period}, the series {seasonLength}.", nameof(seasonLength));
        int first = -1;
        for (int i = 0; i < y.Length && first < 0; i++)
            if (!double.IsNaN(y[i])) first = i;
        if (first < 0) throw new UnsuitableSeriesException("The series has no observations; arima needs some.");
        foreach (double v in y)
            if (double.IsInfinity(v)) throw new UnsuitableSeriesException("The series has infinite values; arima needs finite observations.");
        var x = y[first..].ToArray();
        int nstar = AutoArima.Search.Interior(x) - Order.D - Order.SeasonalD * Order.Period;

        var xreg = IncludeDrift ? [("drift", Enumerable.Range(1, x.Length).Select(i => (double)i).ToArray())] : Array.Empty<(string, double[])>();
        ArimaFit fit;
        try
        {
            fit = ArimaEstimation.Fit(x, Order, xreg, IncludeMean, Method, Fixed is null ? null : [.. Fixed],
                initValues: Init is null ? null : [.. Init]);
            _ = fit.Covariance; // stats::arima's errors (a singular Hessian) at fit time
        }
        catch (Exception e) when (e is ArimaFitException or ArgumentException or NotSupportedException)
        {
            throw new ModelFitException($"{Order} could not be estimated: {e.Message}", e);
        }
        int npar = fit.Mask.Count(v => v) + 1;
        if (nstar - npar - 1 <= 0) throw new ModelFitException($"Too few observations ({x.Length}) for {Order} with {npar} parameters.");
        double aic = fit.Aic;
        double aicc = aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1);
        double bic = aic + npar * (Math.Log(nstar) - 2);
        return new ArimaModel(fit, x, AutoArima.Search.UnbiasedSigma2(fit, nstar, npar), aic, aicc, bic);
    }
}
