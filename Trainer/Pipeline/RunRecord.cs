using Forecast.Core.Artifacts;
using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Eda;
using Forecast.Core.Evaluation;
using Forecast.Core.Series;

namespace Forecast.Trainer.Pipeline;

/// <summary>
/// What a run wrote, series by series in series order: where each series' part of the per-series files lies, and the
/// numbers the files' dataset-level parts are computed from. A shard run keeps it (<see cref="Sharding.ShardSummary"/>)
/// so that the merge can interleave the shards' files and recompute the dataset-level parts without the data or
/// the model. Filled stage by stage by <see cref="TrainingPipeline"/>; a stage that did not run leaves its part null.
/// </summary>
public sealed class RunRecord
{
    /// <summary>The fingerprint of the whole dataset (not of one shard's part of it).</summary>
    public DataFingerprint? Fingerprint { get; set; }

    public CleanedData? Cleaned { get; set; }

    public YamlListFile? CleaningFile { get; set; }

    /// <summary>The cleaned series, in series order.</summary>
    public IReadOnlyList<TimeSeries> Series { get; set; } = [];

    public EdaResult? Eda { get; set; }

    public YamlListFile? EdaFile { get; set; }

    public ModelScore? Score { get; set; }

    public ModelScore? SeasonalNaive { get; set; }

    public YamlListFile? MetricsFile { get; set; }

    public ForecastCsvBlocks? EvaluationCsv { get; set; }

    public ForecastCsvBlocks? ForecastCsv { get; set; }

    /// <summary>Rows of forecasts.parquet per series (the forecast's length).</summary>
    public int[] ParquetRows { get; set; } = [];

    /// <summary>The forecast plots drawn: series id and file name under plots/, in series order.</summary>
    public List<(string SeriesId, string File)> Plots { get; } = [];
}
