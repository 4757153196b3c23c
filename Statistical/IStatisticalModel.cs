namespace Forecast.Statistical;

/// <summary>
/// A classical forecasting model before it is fitted — what R's <c>ets()</c>, <c>auto.arima()</c> or <c>thetaf()</c> is
/// called with. It fits one series at a time; implementations are immutable, so one instance can fit thousands of series
/// on several threads at once.
/// </summary>
public interface IStatisticalModel
{
    /// <summary>The model's short name: "ets", "arima", "theta".</summary>
    string Name { get; }

    /// <summary>
    /// Fits <paramref name="y"/> (equally spaced observations, oldest first) whose seasonal period is
    /// <paramref name="seasonLength"/> observations (R's <c>frequency(y)</c>; 1 for none).
    /// </summary>
    /// <exception cref="UnsuitableSeriesException">The series cannot be modelled as asked (e.g. no observations, or
    /// a multiplicative model requested for data with zeros).</exception>
    /// <exception cref="ModelFitException">No candidate model could be estimated.</exception>
    IFittedModel Fit(ReadOnlySpan<double> y, int seasonLength);

    /// <summary>
    /// Why <see cref="Fit"/> would refuse <paramref name="y"/> outright, before estimating anything (e.g. too short for
    /// the model's seasons), or null; a caller choosing among models can skip the model for that series then.
    /// </summary>
    string? Unsuitable(ReadOnlySpan<double> y, int seasonLength) => null;
}
