namespace Forecast.Evaluator.Model;

/// <summary>A run's metrics over its dataset, seasonal naive's on the same windows, the ratios and their geometric means over series.</summary>
public sealed record DatasetMetrics(
    string RunId,
    string Dataset,
    string Model,
    int Series,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double> SeasonalNaive,
    IReadOnlyDictionary<string, double> RelativeToSeasonalNaive,
    IReadOnlyDictionary<string, double> SeriesRelativeToSeasonalNaiveGeometricMean);
