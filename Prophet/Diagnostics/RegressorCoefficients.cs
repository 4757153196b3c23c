namespace Forecast.Prophet;

/// <summary>One row of <see cref="RegressorCoefficients.Of"/>.</summary>
public sealed record RegressorCoefficient(string Regressor, SeasonalityMode Mode, double Center, double CoefLower, double Coef, double CoefUpper);

/// <summary>
/// The extra regressors' coefficients on the original scale (python/prophet/utilities.py:
/// <c>regressor_coefficients</c>; spec §6): additive beta · y_scale / std, multiplicative beta / std, centred at mu.
/// A MAP fit has one draw, so the bounds equal the coefficient.
/// </summary>
public static class RegressorCoefficients
{
    public static IReadOnlyList<RegressorCoefficient> Of(Prophet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsFitted)
        {
            throw new InvalidOperationException("Model has not been fit. Call Fit before reading regressor coefficients.");
        }

        if (model.ExtraRegressors.Count == 0)
        {
            throw new InvalidOperationException("No extra regressors found: add them with AddRegressor before fitting.");
        }

        var beta = model.Params!.Beta;
        var names = model.FeatureNames.ToList();
        return model.ExtraRegressors.Select(r =>
        {
            var b = beta[names.IndexOf(r.Name)];
            var coef = r.Mode == SeasonalityMode.Additive ? b * model.YScale / r.Std : b / r.Std;
            return new RegressorCoefficient(r.Name, r.Mode, r.Mu, coef, coef, coef);
        }).ToList();
    }
}
