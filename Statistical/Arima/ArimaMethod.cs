namespace Forecast.Statistical.Arima;

/// <summary>How stats::arima estimates (its <c>method</c> argument).</summary>
public enum ArimaMethod
{
    /// <summary>Conditional sum of squares to start, then exact maximum likelihood (R's default).</summary>
    CssMl,
    /// <summary>Exact maximum likelihood via the Kalman filter.</summary>
    Ml,
    /// <summary>Conditional sum of squares only (auto.arima's approximation during the search).</summary>
    Css,
}
