namespace Forecast.Prophet;

/// <summary>
/// The data block of prophet.stan (T, K, S, y, t, cap, t_change, X, sigmas, tau, trend_indicator, s_a, s_m), as
/// prophet builds it in <c>fit</c>. X is row-major T × K.
/// </summary>
public sealed record ProphetStanData(
    int T,
    int K,
    int S,
    double[] Y,
    double[] TimeScaled,
    double[] Cap,
    double[] TChange,
    double[] X,
    double[] Sigmas,
    double Tau,
    int TrendIndicator,
    double[] SA,
    double[] SM);
