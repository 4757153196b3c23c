namespace Forecast.Evaluator.Model;

/// <summary>The metrics of one series in a run, seasonal naive's and the ratios.</summary>
public sealed record SeriesMetrics(
    string Id,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double> SeasonalNaive,
    IReadOnlyDictionary<string, double> RelativeToSeasonalNaive);
