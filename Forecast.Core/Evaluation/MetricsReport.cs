namespace Forecast.Core.Evaluation;

/// <summary>
/// The content of metrics.yaml: how the run was scored, the dataset metrics of the model and of seasonal naive on the
/// same windows, the relative scores (model / seasonal naive, aggregated by geometric mean as in the Chronos paper)
/// and the metrics of every series. Plain dictionaries and lists so any YAML or JSON writer can emit it.
/// </summary>
public static class MetricsReport
{
    /// <param name="dataSha256">The SHA-256 of the data file (data_fingerprint.yaml): with the evaluation settings it
    /// says which runs are comparable (<see cref="EvaluationSetup"/>); empty when unknown.</param>
    public static Dictionary<string, object?> Build(EvaluationOptions options, ModelScore model, ModelScore seasonalNaive, string dataSha256 = "")
    {
        var datasetRatios = RelativeScores.Ratios(model.Dataset.Metrics, seasonalNaive.Dataset.Metrics);
        var baselineById = seasonalNaive.PerSeries.ToDictionary(s => s.SeriesId);
        var seriesRatios = model.PerSeries
            .Select(s => (IReadOnlyDictionary<string, double>)RelativeScores.Ratios(s.Metrics, baselineById[s.SeriesId].Metrics))
            .ToList();

        return new Dictionary<string, object?>
        {
            ["evaluation"] = new Dictionary<string, object?>
            {
                ["mode"] = options.Mode.ToString().ToLowerInvariant(),
                ["horizon"] = options.Horizon,
                ["windows"] = options.EffectiveWindows,
                ["step"] = options.EffectiveStep,
                ["season_length"] = options.SeasonLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "per series frequency",
                ["quantiles"] = options.Quantiles,
                ["point_forecast"] = options.PointForecast.ToString().ToLowerInvariant(),
                ["data_sha256"] = dataSha256,
            },
            ["dataset"] = new Dictionary<string, object?>
            {
                ["name"] = model.Dataset.Dataset,
                ["series"] = model.Dataset.Series,
                ["model"] = model.Dataset.Model,
                ["metrics"] = model.Dataset.Metrics,
                ["seasonal_naive"] = seasonalNaive.Dataset.Metrics,
                ["relative_to_seasonal_naive"] = datasetRatios,
            },
            // One dataset per run today; the geometric mean over datasets is the Chronos paper's aggregate.
            ["aggregate"] = new Dictionary<string, object?>
            {
                ["datasets"] = 1,
                ["relative_to_seasonal_naive_geometric_mean"] = RelativeScores.GeometricMeans([datasetRatios]),
                ["series_relative_to_seasonal_naive_geometric_mean"] = RelativeScores.GeometricMeans(seriesRatios),
            },
            ["per_series"] = model.PerSeries.Select((s, i) => new Dictionary<string, object?>
            {
                ["id"] = s.SeriesId,
                ["metrics"] = s.Metrics,
                ["seasonal_naive"] = baselineById[s.SeriesId].Metrics,
                ["relative_to_seasonal_naive"] = seriesRatios[i],
            }).ToList(),
        };
    }
}
