namespace Forecast.Statistical.Arima;

/// <summary>
/// The orders of a seasonal ARIMA(p,d,q)(P,D,Q)[m] model (stats::arima's <c>arma</c> vector: p, q, P, Q, m, d, D).
/// <see cref="ToString"/> prints it as R forecast's <c>arima.string</c> does, without the constant.
/// </summary>
public sealed record ArimaOrder(int P, int D, int Q, int SeasonalP = 0, int SeasonalD = 0, int SeasonalQ = 0, int Period = 1)
{
    public override string ToString()
    {
        string text = $"ARIMA({P},{D},{Q})";
        if (Period > 1 && SeasonalP + SeasonalD + SeasonalQ > 0) text += $"({SeasonalP},{SeasonalD},{SeasonalQ})[{Period}]";
        return text;
    }

    /// <summary>Number of ARMA coefficients (p + q + P + Q).</summary>
    internal int ArmaCount => P + Q + SeasonalP + SeasonalQ;
}
