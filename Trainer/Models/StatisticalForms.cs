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
    /// Where a later re-estimation of <paramref name="fit"/>'s form starts (ARIMA: <see cref="FixedOrderArima.StartingFrom"/>,
    /// its orders with its coefficients as the start), or null where the form has no warm start (ETS, Theta).
    /// </summary>
    public static IStatisticalModel? StartFrom(IFittedModel fit) => fit is ArimaModel arima ? FixedOrderArima.StartingFrom(arima) : null;

    /// <summary>
    /// <paramref name="form"/> estimated from the warm start <paramref name="from"/> (<see cref="StartFrom"/>; R's
    /// <c>Arima(y, order, init = coef(previous), method = "ML")</c>, the start transformed once), or null where
    /// <paramref name="from"/> is not a start of that form.
    /// </summary>
    public static IStatisticalModel? StartingFrom(IStatisticalModel form, IStatisticalModel from) => (form, from) switch
    {
        (FixedOrderArima arima, FixedOrderArima start) when start.Order == arima.Order && start.IncludeMean == arima.IncludeMean
            && start.IncludeDrift == arima.IncludeDrift => start,
        _ => null,
    };

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
