using Forecast.Core.Data;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Sharding.Partitioning;

/// <summary>
/// <c>partition --batch B --partitions N</c>, the first step of a sharded job: reads data.path once, streaming (a
/// Parquet row group or a CSV chunk at a time), and writes N Parquet parts by FNV-1a-64(unique_id) mod N — the shards'
/// hash — to &lt;run.output&gt;/shards/partitions/B/, then <see cref="PartitionManifest.FileName"/> last. Shard i of
/// batch B then reads part i only (<see cref="PartitionSet"/>). Rows keep their file order within a part, so a shard
/// loads exactly the series, rows and duplicates a single run would.
/// </summary>
public static class PartitionStep
{
    public static async Task<PartitionManifest> RunAsync(TrainerConfig config, string batch, int parts, StorageLocations locations, IRunLog log,
        CancellationToken cancellationToken = default)
    {
        if (parts < 1 || parts > ShardSpec.MaxCount)
            throw new ConfigException("command line", "--partitions", $"{parts}: the number of parts must be between 1 and {ShardSpec.MaxCount} (one per shard).");
        var store = locations.OpenArtifactStore(ShardRun.StoreLocation(config.Run.Output));
        string prefix = PartitionSet.BatchPrefix(batch);
        string manifestKey = prefix + PartitionManifest.FileName;
        if (await store.GetInfoAsync(manifestKey, cancellationToken).ConfigureAwait(false) is not null)
            throw new ConfigException("command line", "--batch",
                $"batch '{batch}' is already partitioned ({store.Describe(manifestKey)}); run its shards, or start a new batch with another --batch.");
        var data = config.Data;
        if (PartitionSet.IsPartitionedPath(data.Path))
            throw new ConfigException(config.Source, "data.path", $"'{data.Path}' is already a partitioned input (a folder or an s3:// prefix); the shards read it as it is: skip the partition step.");
        log.Info($"Partitioning {data.Path} into {parts} part(s) by FNV-1a-64(unique_id) mod {parts}, to {store.Describe(manifestKey)[..^PartitionManifest.FileName.Length]}");

        var put = new List<string>();
        try
        {
            await using var sink = await PartitionSink.CreateAsync(batch, parts, data, cancellationToken).ConfigureAwait(false);
            var read = await ReadAsync(data, sink, locations, cancellationToken).ConfigureAwait(false);
            var closed = await sink.CloseAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (file, entry) in closed)
            {
                put.Add(prefix + entry.File);
                await store.PutFileAsync(prefix + entry.File, file.Path, cancellationToken).ConfigureAwait(false);
            }
            var manifest = new PartitionManifest
            {
                Batch = batch,
                Parts = parts,
                Source = new PartitionSource(data.Path, read.Sha256, read.Rows, sink.Series),
                Columns = new PartitionColumns(data.IdColumn, data.TimeColumn, data.TargetColumn, data.Covariates),
                Files = [.. closed.Select(c => c.Entry)],
            };
            await store.PutAsync(manifestKey, manifest.ToJson(), cancellationToken).ConfigureAwait(false);
            log.Info($"Partitioned {read.Rows} rows, {sink.Series} series into {parts} part(s) (largest {closed.Max(c => c.Entry.Series)} series): {store.Describe(manifestKey)}");
            return manifest;
        }
        catch
        {
            // No manifest, no partitioned input; the parts already put are removed (best effort) so that none is mistaken for a later attempt's.
            foreach (string key in put)
                try { await store.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or Forecast.Core.Artifacts.ArtifactStoreException or S3StorageException) { }
            throw;
        }
    }

    /// <summary>A local file through the loader's own checks; an s3:// object streamed (Parquet, which needs to seek, through a temporary file).</summary>
    private static async Task<RowsRead> ReadAsync(DataOptions data, ISeriesRowSink sink, StorageLocations locations, CancellationToken cancellationToken)
    {
        if (!S3Uri.IsS3(data.Path)) return await SeriesLoader.ReadRowsAsync(data, sink, cancellationToken).ConfigureAwait(false);
        Stream stream;
        try
        {
            stream = await locations.OpenReadAsync(data.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (S3StorageException e) when (e.Failure is S3Failure.ObjectNotFound or S3Failure.BucketNotFound)
        {
            throw new DataException($"{e.Message} Fix data.path.", data.Path, field: "data.path", inner: e);
        }
        await using (stream.ConfigureAwait(false))
        {
            if (stream.CanSeek || SeriesLoader.ResolveFormat(data.Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? data.Path[..^3] : data.Path, data.Format) != DataFormat.Parquet)
                return await SeriesLoader.ReadRowsAsync(stream, data.Path, data, sink, cancellationToken).ConfigureAwait(false);
            string temporary = Path.Combine(Path.GetTempPath(), $"forecast-{Guid.NewGuid():N}.parquet");
            var local = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await using (local.ConfigureAwait(false))
            {
                await stream.CopyToAsync(local, cancellationToken).ConfigureAwait(false);
                local.Position = 0;
                return await SeriesLoader.ReadRowsAsync(local, data.Path, data, sink, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
