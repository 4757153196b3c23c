namespace Forecast.Statistical;

/// <summary>
/// The series cannot be modelled as asked: no observations, only missing values, or a multiplicative model requested
/// for data with zeros or negative values. The message says which and what would fix it.
/// </summary>
public sealed class UnsuitableSeriesException(string message) : ArgumentException(message);
