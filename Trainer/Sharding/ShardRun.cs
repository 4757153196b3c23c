using Forecast.Core.Artifacts;
using Forecast.Core.Data;
using Forecast.Core.Series;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;
using Forecast.Trainer.Sharding.Partitioning;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// One shard of a sharded job (<c>--shard i/N --batch B</c>): runs the pipeline on the series whose stable hash falls
/// in this shard — read from its partition when the input is partitioned (<see cref="PartitionSet"/>), else picked
/// from the whole input — and commits a shard run B-shard-i-of-N under &lt;run.output&gt;/shards/ (outside runs/, so
/// run listings and the dashboard never show a partial run). It is a complete run over its series; besides the usual
/// files it keeps <see cref="ShardSummary.FileName"/> and <see cref="ShardSeriesFile.FileName"/>, from which
/// <see cref="MergeRun"/> combines the shards without the data or the model.
/// </summary>
public sealed class ShardRun(ShardSpec shard, string batch, TrainerConfig config, IArtifactStore shardStore) : RunVariant
{
    private PartitionReference? _partitions;

    public ShardSpec Shard => shard;

    public override string RunId => shard.RunId(batch);

    /// <summary>Where the shard runs of &lt;run.output&gt; live: a sibling artifact store, &lt;run.output&gt;/shards.</summary>
    public static string StoreLocation(string output) =>
        S3Uri.IsS3(output) ? output.TrimEnd('/') + "/shards" : Path.Combine(output, "shards");

    /// <summary>The folder (or s3:// prefix) of run <paramref name="runId"/> in <paramref name="store"/>, for messages.</summary>
    public static string Location(IArtifactStore store, string runId) =>
        store.Describe(RunIds.Prefix(runId) + RunManifest.FileName)[..^RunManifest.FileName.Length];

    /// <summary>
    /// Small row groups in a shard's forecasts.parquet: the merge reads every shard's file side by side, one row group
    /// of each in memory, so this bounds its memory (fifty shards hold 800 thousand rows, about 90 MB).
    /// </summary>
    public override int ParquetRowGroupRows => 1 << 14;

    /// <summary>
    /// Part i of the batch's partitions (the partition step's, or data.path's when it is a partitioned folder), checked
    /// and with the whole dataset's fingerprint; null (load data.path whole) when the input is not partitioned.
    /// </summary>
    public override async Task<LoadedData?> LoadAsync(TrainerConfig config, StorageLocations? locations, IRunLog log, CancellationToken cancellationToken)
    {
        var partitions = await PartitionSet.FindAsync(shardStore, batch, config.Data, locations, cancellationToken);
        if (partitions is null) return null;
        if (partitions.Manifest.Parts != shard.Count)
            throw new DataException(
                $"the data is cut into {partitions.Manifest.Parts} part(s) but this is shard {shard}: run {partitions.Manifest.Parts} shards (--shard i/{partitions.Manifest.Parts}), or partition again into {shard.Count}.",
                partitions.Location + PartitionManifest.FileName, field: "parts");
        string part = partitions.Manifest.Files[shard.Index].File;
        log.Info($"Loading part {shard.Index} of {shard.Count} only: {partitions.Location}{part}");
        var loaded = await partitions.LoadPartAsync(shard.Index, config.Data, cancellationToken);
        _partitions = new PartitionReference(partitions.Location, partitions.ManifestSha256, part);
        return loaded;
    }

    public override IReadOnlyList<TimeSeries> SelectSeries(IReadOnlyList<TimeSeries> series, IRunLog log)
    {
        var mine = series.Where(s => shard.Owns(s.Id)).ToList();
        log.Info($"Shard {shard}: {mine.Count} of {series.Count} series (FNV-1a-64 of the UTF-8 unique_id mod {shard.Count})");
        return mine;
    }

    public override async Task BeforeCommitAsync(RunWriter writer, RunRecord record, CancellationToken cancellationToken)
    {
        var cleaned = record.Cleaned!;
        var summary = new ShardSummary
        {
            Batch = batch,
            Shard = shard.Index,
            Shards = shard.Count,
            Model = record.Score?.Dataset.Model ?? "",
            EdaEnabled = config.Eda.Enabled,
            PlotsEnabled = config.Plots.Enabled,
            Data = new ShardData(record.Fingerprint!.Sha256, record.Fingerprint.Rows, record.Fingerprint.Series),
            Partitions = _partitions,
            SeriesIn = cleaned.Report.SeriesIn,
            RowsIn = cleaned.Report.RowsIn,
            SeriesOut = cleaned.Report.SeriesOut,
            RowsOut = cleaned.Report.RowsOut,
            Dropped = [.. cleaned.Dropped.Select(d => new DroppedSeries(d.Id, d.Length))],
            Windows = record.EvaluationCsv?.BlockLengths.Count ?? 0,
            Heads = new FileHeads(record.CleaningFile!.HeadLength, record.EdaFile?.HeadLength ?? 0, record.MetricsFile?.HeadLength ?? 0,
                record.EvaluationCsv?.HeaderLength ?? 0, record.ForecastCsv?.HeaderLength ?? 0),
            EvaluationCsvDateOnly = record.EvaluationCsv?.DateOnly ?? true,
            ForecastCsvDateOnly = record.ForecastCsv?.DateOnly ?? true,
            EdaPlots = [.. (record.Eda?.Plots ?? []).Select(p => new EdaPlotFile(p.SeriesId, p.BaseName, p.Suffix))],
            Plots = [.. record.Plots.Select(p => new ForecastPlotFile(p.SeriesId, p.File))],
        };
        await writer.PutAsync(ShardSeriesFile.FileName, ShardSeriesFile.Write(record), cancellationToken);
        await writer.PutAsync(ShardSummary.FileName, summary.ToJson(), cancellationToken);
    }
}
