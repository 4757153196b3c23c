namespace Forecast.Core.Evaluation;

/// <summary>
/// The content of metrics.yaml: how the run was scored, the dataset metrics of the model and of seasonal naive on the
/// same windows, the relative scores (model / seasonal naive, aggregated by geometric mean as in the Chronos paper)
/// and the metrics of every series. Plain dictionaries and lists so any YAML or JSON writer can emit it. The per-series
/// list comes last, so the file is a head (<see cref="Head"/>) followed by one entry per series (<see cref="SeriesEntry"/>).
/// </summary>
public static class MetricsReport
{
    /// <summary>The key of the per-series list, the last key of the report.</summary>
    public const string SeriesKey = "per_series";

    /// <param name="dataSha256">The SHA-256 of the data file (data_fingerprint.yaml): with the evaluation settings it
    /// says which runs are comparable (<see cref="EvaluationSetup"/>); empty when unknown.</param>
    public static Dictionary<string, object?> Build(EvaluationOptions options, ModelScore model, ModelScore seasonalNaive, string dataSha256 = "")
    {
        var baselineById = seasonalNaive.PerSeries.ToDictionary(s => s.SeriesId);
        var seriesRatios = new GeometricMeanAccumulator();
        var entries = new List<Dictionary<string, object?>>(model.PerSeries.Count);
        foreach (var s in model.PerSeries)
        {
            var entry = SeriesEntry(s, baselineById[s.SeriesId], out var ratios);
            seriesRatios.Add(ratios);
            entries.Add(entry);
        }
        var report = Head(options, model.Dataset, seasonalNaive.Dataset, seriesRatios.Result(), dataSha256);
        report[SeriesKey] = entries;
        return report;
    }

    /// <summary>Everything but the per-series entries (an empty <see cref="SeriesKey"/> list stands last).</summary>
    /// <param name="seriesRatioMeans">The geometric means over series of the per-series ratios (<see cref="GeometricMeanAccumulator"/>, series in order).</param>
    public static Dictionary<string, object?> Head(EvaluationOptions options, DatasetScore model, DatasetScore seasonalNaive, IReadOnlyDictionary<string, double> seriesRatioMeans,
        string dataSha256 = "")
    {
        var datasetRatios = RelativeScores.Ratios(model.Metrics, seasonalNaive.Metrics);
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
                ["name"] = model.Dataset,
                ["series"] = model.Series,
                ["model"] = model.Model,
                ["metrics"] = model.Metrics,
                ["seasonal_naive"] = seasonalNaive.Metrics,
                ["relative_to_seasonal_naive"] = datasetRatios,
            },
            // One dataset per run today; the geometric mean over datasets is the Chronos paper's aggregate.
            ["aggregate"] = new Dictionary<string, object?>
            {
                ["datasets"] = 1,
                ["relative_to_seasonal_naive_geometric_mean"] = RelativeScores.GeometricMeans([datasetRatios]),
                ["series_relative_to_seasonal_naive_geometric_mean"] = seriesRatioMeans,
            },
            [SeriesKey] = new List<object>(),
        };
    }

    /// <summary>One series' entry; <paramref name="ratios"/> are its ratios to seasonal naive, for the geometric means of the head.</summary>
    public static Dictionary<string, object?> SeriesEntry(SeriesScore model, SeriesScore seasonalNaive, out Dictionary<string, double> ratios)
    {
        ratios = RelativeScores.Ratios(model.Metrics, seasonalNaive.Metrics);
        return new Dictionary<string, object?>
        {
            ["id"] = model.SeriesId,
            ["metrics"] = model.Metrics,
            ["seasonal_naive"] = seasonalNaive.Metrics,
            ["relative_to_seasonal_naive"] = ratios,
        };
    }
}
