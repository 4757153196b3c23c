namespace Forecast.Core.Evaluation;

/// <summary>The metrics of one series, over all its evaluation windows.</summary>
public sealed record SeriesScore(string SeriesId, int Windows, IReadOnlyDictionary<string, double> Metrics);
