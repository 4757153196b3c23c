namespace Forecast.Core.Artifacts;

/// <summary>
/// metrics.yaml read back (written by <see cref="Evaluation.MetricsReport.Build"/>): how the run was scored, the
/// dataset metrics of the model and of seasonal naive on the same windows, their ratios and the per-series metrics.
/// Mutable classes with setters because YamlDotNet deserializes through them; treat them as read-only.
/// </summary>
public sealed class RunMetrics
{
    public RunEvaluationSettings Evaluation { get; set; } = new();
    public RunDatasetMetrics Dataset { get; set; } = new();
    public RunAggregateMetrics Aggregate { get; set; } = new();
    public List<RunSeriesMetrics> PerSeries { get; set; } = [];
}

/// <summary>The <c>evaluation:</c> block of metrics.yaml.</summary>
public sealed class RunEvaluationSettings
{
    public string Mode { get; set; } = "";
    public int Horizon { get; set; }
    public int Windows { get; set; }
    public int Step { get; set; }

    /// <summary>A number, or "per series frequency".</summary>
    public string SeasonLength { get; set; } = "";

    public List<double> Quantiles { get; set; } = [];

    /// <summary>The SHA-256 of the data file the run was scored on (empty in runs written before it was recorded).</summary>
    public string DataSha256 { get; set; } = "";
}

/// <summary>The <c>dataset:</c> block: the model's metrics, seasonal naive's, and model / seasonal naive.</summary>
public sealed class RunDatasetMetrics
{
    public string Name { get; set; } = "";
    public int Series { get; set; }
    public string Model { get; set; } = "";
    public Dictionary<string, double> Metrics { get; set; } = [];
    public Dictionary<string, double> SeasonalNaive { get; set; } = [];
    public Dictionary<string, double> RelativeToSeasonalNaive { get; set; } = [];
}

/// <summary>The <c>aggregate:</c> block: geometric means of the relative scores.</summary>
public sealed class RunAggregateMetrics
{
    public int Datasets { get; set; }
    public Dictionary<string, double> RelativeToSeasonalNaiveGeometricMean { get; set; } = [];
    public Dictionary<string, double> SeriesRelativeToSeasonalNaiveGeometricMean { get; set; } = [];
}

/// <summary>One entry of <c>per_series:</c>.</summary>
public sealed class RunSeriesMetrics
{
    public string Id { get; set; } = "";
    public Dictionary<string, double> Metrics { get; set; } = [];
    public Dictionary<string, double> SeasonalNaive { get; set; } = [];
    public Dictionary<string, double> RelativeToSeasonalNaive { get; set; } = [];
}
