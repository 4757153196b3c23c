namespace Forecast.Statistical.Arima;

/// <summary>Where stats::arima stops with an error (non-stationary CSS start, singular Hessian, optimiser failure).</summary>
internal sealed class ArimaFitException(string message) : Exception(message);
