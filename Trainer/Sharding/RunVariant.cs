using Forecast.Core.Artifacts;
using Forecast.Core.Data;
using Forecast.Core.Series;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// How a shard changes one <see cref="TrainingPipeline"/> run, at its seams: the run id, the data it loads, the series
/// it keeps (before cleaning: cleaning, EDA, evaluation and forecasts are per series, so a shard does exactly what a
/// single run does for its series), and extra files before the commit. <see cref="ShardRun"/> is the variant; a plain
/// run has none.
/// </summary>
public abstract class RunVariant
{
    /// <summary>A fixed run id, or null for a fresh time-sorted one (<see cref="RunIds.New"/>).</summary>
    public virtual string? RunId => null;

    /// <summary>The data to run on, with the fingerprint of the whole dataset; null loads data.path as a plain run does.</summary>
    public virtual Task<LoadedData?> LoadAsync(TrainerConfig config, StorageLocations? locations, IRunLog log, CancellationToken cancellationToken) =>
        Task.FromResult<LoadedData?>(null);

    public virtual IReadOnlyList<TimeSeries> SelectSeries(IReadOnlyList<TimeSeries> series, IRunLog log) => series;

    /// <summary>Rows per row group of forecasts.parquet.</summary>
    public virtual int ParquetRowGroupRows => ForecastParquetWriter.RowGroupRows;

    /// <summary>Called with what the run wrote, series by series, before its manifest commits it.</summary>
    public virtual Task BeforeCommitAsync(RunWriter writer, RunRecord record, CancellationToken cancellationToken) => Task.CompletedTask;
}
