namespace Forecast.Statistical.Ets;

/// <summary>
/// The form of an exponential smoothing state space model (Hyndman et al. 2008): error, trend (optionally damped) and
/// season. <see cref="ToString"/> prints it as R forecast does, e.g. "ETS(M,Ad,M)".
/// </summary>
public sealed record EtsForm(EtsComponent Error, EtsComponent Trend, bool Damped, EtsComponent Season)
{
    public override string ToString() =>
        $"ETS({Letter(Error)},{Letter(Trend)}{(Damped ? "d" : "")},{Letter(Season)})";

    internal static char Letter(EtsComponent c) => c switch
    {
        EtsComponent.None => 'N',
        EtsComponent.Additive => 'A',
        _ => 'M',
    };
}
