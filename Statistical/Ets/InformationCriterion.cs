namespace Forecast.Statistical;

/// <summary>The information criterion a model search minimises (R's <c>ic</c> argument).</summary>
public enum InformationCriterion
{
    /// <summary>AIC with the small-sample correction, R's default.</summary>
    Aicc,
    Aic,
    Bic,
}
