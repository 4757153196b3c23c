namespace Forecast.Prophet;

/// <summary>
/// An extra regressor (prophet's <c>self.extra_regressors[name]</c>). <see cref="Mu"/> and <see cref="Std"/> are set
/// by fitting (forecaster.py: <c>initialize_scales</c>); they are 0 and 1 when the column is not standardised.
/// </summary>
public sealed record ExtraRegressor(
    string Name,
    double PriorScale,
    RegressorStandardize Standardize,
    SeasonalityMode Mode)
{
    public double Mu { get; init; }

    public double Std { get; init; } = 1.0;
}
