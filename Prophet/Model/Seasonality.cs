namespace Forecast.Prophet;

/// <summary>
/// One seasonality of the model (prophet's <c>self.seasonalities[name]</c>): a Fourier series of
/// <paramref name="FourierOrder"/> terms with period <paramref name="Period"/> days.
/// </summary>
/// <param name="ConditionName">Boolean column that switches the seasonality on (conditional seasonality), or null.</param>
public sealed record Seasonality(
    string Name,
    double Period,
    int FourierOrder,
    double PriorScale,
    SeasonalityMode Mode,
    string? ConditionName);
