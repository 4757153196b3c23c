namespace Forecast.Prophet;

/// <summary>
/// The posterior of this fit has no mode: the model reproduces the history exactly (it has at least as many parameters
/// as rows), so the log posterior grows without bound as sigma_obs → 0, and it has no local mode above that either.
/// rstan would stop wherever its rounding lets it (sigma_obs near 1e-11); the fit it returns interpolates the history
/// and forecasts noise. Use fewer changepoints (n_changepoints) or Fourier terms, or more history.
/// </summary>
public sealed class NoPosteriorModeException(int rows, int parameters)
    : InvalidOperationException(
        $"Prophet's posterior has no mode for this history: its {rows} rows can be reproduced exactly by the model's {parameters} " +
        "trend, changepoint and seasonality parameters, so the log posterior grows without bound as sigma_obs -> 0 and has no " +
        "local maximum above that. Use fewer changepoints (n_changepoints) or lower Fourier orders, or fit more history.")
{
    /// <summary>Rows of the history with an observed y.</summary>
    public int Rows { get; } = rows;

    /// <summary>Parameters of the mean: k, m, the changepoint deltas and the feature coefficients beta.</summary>
    public int Parameters { get; } = parameters;
}
