namespace Forecast.Dashboard.Services;

/// <summary>
/// The columns uPlot draws for one series, aligned on one time axis <see cref="X"/> (Unix seconds, ascending): the
/// history, the evaluation windows (actuals, forecast, interval), and the forecast beyond the data with its interval.
/// Null where a column has no value at that time (uPlot leaves a gap).
/// </summary>
public sealed record ChartData(
    string SeriesId,
    long[] X,
    double?[] History,
    double?[] Actual,
    double?[] EvaluationMean,
    double?[] EvaluationLow,
    double?[] EvaluationHigh,
    double?[] Mean,
    double?[] Low,
    double?[] High,
    double LowLevel,
    double HighLevel,
    string? Note);
