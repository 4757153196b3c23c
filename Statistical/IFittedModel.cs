namespace Forecast.Statistical;

/// <summary>A fitted classical model: its form, its in-sample fit and its forecasts.</summary>
public interface IFittedModel
{
    /// <summary>The selected form as R prints it: "ETS(M,Ad,M)", "ARIMA(0,1,1)(0,1,1)[12]", "Theta".</summary>
    string Description { get; }

    /// <summary>The season length the model was fitted with (1 when it has no seasonal part).</summary>
    int SeasonLength { get; }

    /// <summary>One-step-ahead in-sample predictions, one per observation (R's <c>fitted()</c>); NaN where undefined.</summary>
    IReadOnlyList<double> Fitted { get; }

    /// <summary>Observation minus fitted value, one per observation (R's <c>residuals(type = "response")</c>).</summary>
    IReadOnlyList<double> Residuals { get; }

    /// <summary>The innovation variance the prediction intervals use (R's <c>$sigma2</c>).</summary>
    double Sigma2 { get; }

    /// <summary>Small-sample corrected AIC where the model has a likelihood (ETS, ARIMA); null otherwise.</summary>
    double? Aicc { get; }

    /// <summary>
    /// Point forecasts for steps 1..<paramref name="horizon"/> and central prediction intervals at
    /// <paramref name="levels"/> (percent, e.g. 80 and 95; R's <c>forecast(fit, h, level)</c>).
    /// </summary>
    StatisticalForecast Forecast(int horizon, IReadOnlyList<double>? levels = null);
}
