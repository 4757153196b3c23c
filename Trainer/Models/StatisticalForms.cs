using Forecast.Statistical;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;

namespace Forecast.Trainer.Models;

/// <summary>
/// The model that re-estimates a fitted model's form on other data of the same series: ETS with the chosen error,
/// trend, damping and season (R's <c>ets(y, model = "MAM", damped = ...)</c>, every other setting kept), ARIMA with the
/// chosen orders, mean and drift (R's <c>Arima(y, order, seasonal, include.drift)</c>). Null for models with no form
/// search worth skipping (Theta: its only choice is the seasonality test, as cheap as the fit).
/// </summary>
internal static class StatisticalForms
{
    public static IStatisticalModel? FixedFormOf(IStatisticalModel model, IFittedModel fit) => (model, fit) switch
    {
        (AutoEts ets, EtsModel chosen) => WithForm(ets, chosen.Form),
        (AutoArima, ArimaModel chosen) => FixedOrderArima.Like(chosen),
        _ => null,
    };

    /// <summary>
    /// <paramref name="form"/> estimated starting from <paramref name="previous"/>'s optimum (ARIMA:
    /// <see cref="FixedOrderArima.StartingFrom"/>, R's <c>Arima(y, order, init = coef(previous), method = "ML")</c>);
    /// null where the form has no warm start (ETS) or <paramref name="previous"/> is not a fit of it.
    /// </summary>
    public static IStatisticalModel? StartingFrom(IStatisticalModel form, IFittedModel previous) => (form, previous) switch
    {
        (FixedOrderArima arima, ArimaModel fit) when fit.Order == arima.Order && fit.HasMean == arima.IncludeMean && fit.HasDrift == arima.IncludeDrift
            => FixedOrderArima.StartingFrom(fit),
        _ => null,
    };

    /// <summary>Whether a later re-estimation can start from <paramref name="fit"/> (<see cref="StartingFrom"/>).</summary>
    public static bool StartsFrom(IFittedModel fit) => fit is ArimaModel;

    /// <summary>
    /// A fitted model applied to other data without estimation (ETS: <see cref="EtsModel.Filter"/>, ARIMA:
    /// <see cref="ArimaModel.Filter"/>); null where the model has no filter (Theta) or the filter is undefined on the data.
    /// </summary>
    public static IFittedModel? Filter(IFittedModel fit, double[] values)
    {
        try
        {
            return fit switch
            {
                EtsModel ets => ets.Filter(values),
                ArimaModel arima => arima.Filter(values),
                _ => null,
            };
        }
        catch (Exception e) when (e is UnsuitableSeriesException or ModelFitException or ArgumentException)
        {
            return null;
        }
    }

    // Every other setting (bounds, criteria, parallelism…) is the candidate's own, so a setting added to AutoEts is kept.
    private static AutoEts WithForm(AutoEts ets, EtsForm form) => ets with
    {
        Model = $"{Letter(form.Error)}{Letter(form.Trend)}{Letter(form.Season)}",
        Damped = form.Trend == EtsComponent.None ? null : form.Damped,
        AllowMultiplicativeTrend = form.Trend == EtsComponent.Multiplicative,
    };

    private static char Letter(EtsComponent component) => component switch
    {
        EtsComponent.Additive => 'A',
        EtsComponent.Multiplicative => 'M',
        _ => 'N',
    };
}
