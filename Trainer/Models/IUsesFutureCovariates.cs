namespace Forecast.Trainer.Models;

/// <summary>
/// A model that needs the future values of some covariates (prophet's extra regressors, Chronos-2's
/// future_covariates), so the final forecast beyond the data needs <c>data.future_covariates_path</c>.
/// </summary>
public interface IUsesFutureCovariates
{
    /// <summary>The covariate columns whose future values the model needs; empty when none.</summary>
    IReadOnlyList<string> FutureCovariateNames { get; }

    /// <summary>The config key that names them, for error messages (e.g. model.prophet.regressors).</summary>
    string FutureCovariatesKey { get; }
}
