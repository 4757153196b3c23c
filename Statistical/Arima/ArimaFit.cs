namespace Forecast.Statistical.Arima;

/// <summary>
/// The result of one stats::arima fit (its <c>Arima</c> object): coefficients (AR, MA, seasonal AR, seasonal MA, then
/// regression coefficients), which were estimated, their covariance, σ², log-likelihood, AIC (NaN for CSS), residuals
/// and the filtered state-space model the forecasts start from.
/// </summary>
internal sealed record ArimaFit(
    ArimaOrder Order,
    double[] Coefficients,
    string[] Names,
    bool[] Mask,
    double Sigma2,
    double[,]? Covariance,
    double LogLikelihood,
    double Aic,
    double[] Residuals,
    int ObservationsUsed,
    ArimaStateSpace Model,
    int Convergence,
    ArimaMethod Method);
