namespace Forecast.Statistical.Arima;

/// <summary>
/// The result of one stats::arima fit (its <c>Arima</c> object): coefficients (AR, MA, seasonal AR, seasonal MA, then
/// regression coefficients), which were estimated, their covariance, σ², log-likelihood, AIC (NaN for CSS), residuals
/// and the filtered state-space model the forecasts start from (for a CSS fit made when first used: stats::arima
/// filters every CSS fit through <c>arimaSS</c> for its final state, which only a forecast needs, and auto.arima's
/// search forecasts from none of its CSS candidates but the last resort).
/// </summary>
internal sealed record ArimaFit(
    ArimaOrder Order,
    double[] Coefficients,
    string[] Names,
    bool[] Mask,
    double Sigma2,
    double LogLikelihood,
    double Aic,
    double[] Residuals,
    int ObservationsUsed,
    Lazy<ArimaStateSpace> State,
    int Convergence,
    ArimaMethod Method,
    Lazy<double[,]?> CovarianceState)
{
    /// <summary>
    /// The coefficients' covariance (null when nothing was optimised), computed on first use; throws
    /// <see cref="ArimaFitException"/> where stats::arima fails on it (a singular Hessian).
    /// </summary>
    public double[,]? Covariance => CovarianceState.Value;

    /// <summary>A CSS fit's optimum (the free coefficients) and optim's convergence code, for a CSS-ML fit of the same model to start from.</summary>
    internal (double[] X, int Convergence)? CssOptimum { get; init; }

    /// <summary>The filtered state-space model.</summary>
    public ArimaStateSpace Model => State.Value;
}
