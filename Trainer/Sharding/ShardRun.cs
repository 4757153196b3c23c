using Forecast.Core.Artifacts;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// One shard of a sharded job (<c>--shard i/N --batch B</c>): loads and cleans all the data as a single run would,
/// keeps the series whose stable hash falls in this shard, evaluates and forecasts them, and commits a shard run
/// B-shard-i-of-N under &lt;run.output&gt;/shards/ (outside runs/, so run listings and the dashboard never show a
/// partial run) with every forecast in <see cref="ShardForecasts.FileName"/> for the merge.
/// </summary>
public sealed class ShardRun(ShardSpec shard, string batch) : RunVariant
{
    private CapturingForecaster? _capture;
    private IReadOnlyList<string> _series = [];

    public ShardSpec Shard => shard;

    public override string RunId => shard.RunId(batch);

    /// <summary>Where the shard runs of &lt;run.output&gt; live: a sibling artifact store, &lt;run.output&gt;/shards.</summary>
    public static string StoreLocation(string output) =>
        S3Uri.IsS3(output) ? output.TrimEnd('/') + "/shards" : Path.Combine(output, "shards");

    /// <summary>The folder (or s3:// prefix) of run <paramref name="runId"/> in <paramref name="store"/>, for messages.</summary>
    public static string Location(IArtifactStore store, string runId) =>
        store.Describe(RunIds.Prefix(runId) + RunManifest.FileName)[..^RunManifest.FileName.Length];

    /// <summary>
    /// Shards skip EDA and plots: the merge draws both over all series, exactly as a single run does, so shard-level
    /// ones would be thrown away. config.yaml still records the config as given.
    /// </summary>
    public static TrainerConfig Adjust(TrainerConfig config) =>
        config with { Eda = config.Eda with { Enabled = false }, Plots = config.Plots with { Enabled = false } };

    public override IReadOnlyList<TimeSeries> SelectSeries(IReadOnlyList<TimeSeries> series, IRunLog log)
    {
        var mine = series.Where(s => shard.Owns(s.Id)).ToList();
        _series = [.. mine.Select(s => s.Id)];
        log.Info($"Shard {shard}: {mine.Count} of {series.Count} series (FNV-1a-64 of the UTF-8 unique_id mod {shard.Count})");
        return mine;
    }

    public override IForecaster Wrap(IForecaster model) => _capture = new CapturingForecaster(model);

    public override Task BeforeCommitAsync(RunWriter writer, CancellationToken cancellationToken)
    {
        var forecasts = new ShardForecasts(batch, shard.Index, shard.Count, _capture?.Name ?? "", _series, _capture?.Calls ?? []);
        return writer.PutAsync(ShardForecasts.FileName, forecasts.ToBytes(), cancellationToken);
    }
}
