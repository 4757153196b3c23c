namespace Forecast.Core.Models.Baselines;

/// <summary>How a baseline turns its in-sample residuals into forecast quantiles.</summary>
public enum IntervalMethod
{
    /// <summary>
    /// Gaussian intervals with the standard errors of R forecast 8.20 (<c>lagwalk</c> for naive/snaive, <c>meanf</c>
    /// for mean): the point forecast ± a normal (or, for mean, Student t) quantile times the h-step standard error.
    /// </summary>
    Gaussian,

    /// <summary>
    /// Empirical intervals: the point forecast plus the sample quantile (type 7) of the in-sample residuals, widened
    /// for step h by the same factor as the Gaussian standard error (for example sqrt(h) for naive).
    /// </summary>
    Empirical,
}
