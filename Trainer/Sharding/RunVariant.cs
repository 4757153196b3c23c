using Forecast.Core.Artifacts;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// How a sharded job changes one <see cref="TrainingPipeline"/> run, at its four seams: the run id, the series it
/// works on (after cleaning, so every shard cleans exactly as a single run does), the model, and extra files before
/// the commit. <see cref="ShardRun"/> and <see cref="MergeRun"/> are the two variants; a plain run has none.
/// </summary>
public abstract class RunVariant
{
    /// <summary>A fixed run id, or null for a fresh time-sorted one (<see cref="RunIds.New"/>).</summary>
    public virtual string? RunId => null;

    public virtual IReadOnlyList<TimeSeries> SelectSeries(IReadOnlyList<TimeSeries> series, IRunLog log) => series;

    public virtual IForecaster Wrap(IForecaster model) => model;

    public virtual Task BeforeCommitAsync(RunWriter writer, CancellationToken cancellationToken) => Task.CompletedTask;
}
