namespace Forecast.Statistical.Ets;

/// <summary>R <c>ets(opt.crit = )</c>: what the parameters minimise.</summary>
public enum EtsCriterion
{
    /// <summary>The (concentrated) likelihood, R's default.</summary>
    Likelihood,
    /// <summary>The mean squared one-step error (what <c>ses()</c> and <c>thetaf()</c> use).</summary>
    Mse,
    /// <summary>The average of the mean squared 1..nmse-step errors.</summary>
    Amse,
    /// <summary>The mean squared innovation.</summary>
    Sigma,
    /// <summary>The mean absolute innovation.</summary>
    Mae,
}
