using Forecast.Core.Artifacts;
using Forecast.Core.Data;
using Forecast.Core.Series;
using Forecast.Core.Storage;
using Parquet;

namespace Forecast.Trainer.Sharding.Partitioning;

/// <summary>
/// A partitioned input as a shard sees it: the folder (or S3 prefix) holding <see cref="PartitionManifest.FileName"/>
/// and its parts. Opening it checks the folder against the manifest (no part missing, nothing extra); loading a part
/// checks that it is whole (SHA-256), of this batch and part (its Parquet metadata), and that every series in it hashes
/// to it. Each failure is a <see cref="DataException"/> naming the file, so the shard commits nothing.
/// </summary>
public sealed class PartitionSet
{
    private PartitionSet(IArtifactStore store, string prefix, PartitionManifest manifest, string manifestSha256)
    {
        Store = store;
        Prefix = prefix;
        Manifest = manifest;
        ManifestSha256 = manifestSha256;
    }

    public IArtifactStore Store { get; }

    /// <summary>The key prefix of the folder in <see cref="Store"/> ("" or ending with '/').</summary>
    public string Prefix { get; }

    public PartitionManifest Manifest { get; }

    public string ManifestSha256 { get; }

    /// <summary>The folder, for messages and shards.yaml.</summary>
    public string Location => Store.Describe(Prefix + PartitionManifest.FileName)[..^PartitionManifest.FileName.Length];

    /// <summary>Where the partition step of batch <paramref name="batch"/> writes, in the shard store (&lt;run.output&gt;/shards).</summary>
    public static string BatchPrefix(string batch) => $"partitions/{batch}/";

    /// <summary>Whether data.path names a partitioned input rather than a file: a local folder, or an s3:// prefix ending with '/'.</summary>
    public static bool IsPartitionedPath(string path) => S3Uri.IsS3(path) ? path.EndsWith('/') : Directory.Exists(path);

    /// <summary>
    /// The partitions a shard of <paramref name="batch"/> reads: those the partition step wrote for the batch, else
    /// data.path when it is a partitioned folder or prefix; null when there are none (the shard loads data.path whole).
    /// </summary>
    public static async Task<PartitionSet?> FindAsync(IArtifactStore shardStore, string batch, DataOptions data, StorageLocations? locations, CancellationToken cancellationToken)
    {
        string prefix = BatchPrefix(batch);
        if (await shardStore.GetAsync(prefix + PartitionManifest.FileName, cancellationToken).ConfigureAwait(false) is { } bytes)
        {
            var set = await OpenAsync(shardStore, prefix, bytes, cancellationToken).ConfigureAwait(false);
            if (set.Manifest.Batch != batch)
                throw new DataException($"the manifest is of batch '{set.Manifest.Batch}', not '{batch}'; partition this batch again.",
                    shardStore.Describe(prefix + PartitionManifest.FileName), field: "batch");
            return set;
        }
        if (!IsPartitionedPath(data.Path)) return null;
        IArtifactStore store;
        if (S3Uri.IsS3(data.Path))
            store = (locations ?? throw new DataException("s3:// data needs S3 storage, which this run was built without.", data.Path, field: "data.path")).OpenArtifactStore(data.Path);
        else
            store = new LocalFolderArtifactStore(data.Path);
        var manifest = await store.GetAsync(PartitionManifest.FileName, cancellationToken).ConfigureAwait(false)
            ?? throw new DataException($"the folder holds no {PartitionManifest.FileName}, so it is not a partitioned input (docs/deploy.md, \"Partitioned input\"); point data.path at a CSV or Parquet file, or at the folder the partition step wrote.",
                data.Path, field: "data.path");
        return await OpenAsync(store, "", manifest, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<PartitionSet> OpenAsync(IArtifactStore store, string prefix, byte[] manifestBytes, CancellationToken cancellationToken)
    {
        string manifestKey = prefix + PartitionManifest.FileName;
        var manifest = PartitionManifest.Parse(manifestBytes, store.Describe(manifestKey));
        var expected = manifest.Files.Select(f => prefix + f.File).ToHashSet(StringComparer.Ordinal);
        var extra = new List<string>();
        await foreach (var info in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (info.Key == manifestKey) continue;
            if (!expected.Remove(info.Key)) extra.Add(info.Key[prefix.Length..]);
        }
        string folder = store.Describe(manifestKey)[..^PartitionManifest.FileName.Length];
        if (expected.Count > 0)
            throw new DataException(
                $"{expected.Count} of the {manifest.Parts} parts listed in {PartitionManifest.FileName} are missing ({string.Join(", ", expected.Order(StringComparer.Ordinal).Take(5).Select(k => k[prefix.Length..]))}); partition the data again.",
                folder);
        if (extra.Count > 0)
            throw new DataException(
                $"the folder holds {extra.Count} file(s) that {PartitionManifest.FileName} does not list ({string.Join(", ", extra.Take(5))}); a part of another partitioning? Remove them or partition the data again.",
                folder);
        return new PartitionSet(store, prefix, manifest, System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifestBytes)));
    }

    /// <summary>The series of part <paramref name="part"/>, with the fingerprint of the whole dataset they were cut from.</summary>
    public async Task<LoadedData> LoadPartAsync(int part, DataOptions data, CancellationToken cancellationToken)
    {
        var entry = Manifest.Files[part];
        string key = Prefix + entry.File;
        string location = Store.Describe(key);
        var stream = await Store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new DataException("the part is missing (it was listed a moment ago); partition the data again.", location);
        IReadOnlyList<TimeSeries> series;
        string sha256;
        await using (stream.ConfigureAwait(false))
        {
            var metadata = await ReadMetadataAsync(stream, location, cancellationToken).ConfigureAwait(false);
            if (metadata is null)
                throw new DataException($"the part has no '{PartitionManifest.MetadataKey}' metadata, so it was not written by the partition step of batch '{Manifest.Batch}'; partition the data again.", location);
            if (metadata.Batch != Manifest.Batch || metadata.Part != part || metadata.Parts != Manifest.Parts)
                throw new DataException(
                    $"the file is part {metadata.Part} of {metadata.Parts} of batch '{metadata.Batch}', not part {part} of {Manifest.Parts} of batch '{Manifest.Batch}' as {PartitionManifest.FileName} says; a part of another batch? Partition the data again.",
                    location);
            stream.Position = 0;
            if (entry.Rows == 0)
            {
                series = [];
                sha256 = System.Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                var columns = Manifest.Columns;
                var options = data with
                {
                    Path = location,
                    Format = DataFormat.Parquet,
                    IdColumn = columns.Id,
                    TimeColumn = columns.Time,
                    TargetColumn = columns.Target,
                    SeriesId = null,
                };
                var loaded = await SeriesLoader.LoadAsync(stream, location, options, cancellationToken).ConfigureAwait(false);
                series = loaded.Series;
                sha256 = loaded.Fingerprint.Sha256;
            }
        }
        if (sha256 != entry.Sha256)
            throw new DataException($"the part's SHA-256 is {sha256}, {PartitionManifest.FileName} says {entry.Sha256}: it was changed or damaged; partition the data again.", location);
        foreach (var s in series)
        {
            int owner = ShardSpec.Of(s.Id, Manifest.Parts);
            if (owner != part)
                throw new DataException(
                    $"series '{s.Id}' is in part {part} but belongs to part {owner} (FNV-1a-64 of its UTF-8 id mod {Manifest.Parts}); the parts were not cut by the shards' hash: partition the data again with the Trainer's partition step.",
                    location, field: Manifest.Columns.Id);
        }
        var source = Manifest.Source;
        return new LoadedData(series, new DataFingerprint(source.Sha256, source.Rows, source.Series));
    }

    private static async Task<PartMetadata?> ReadMetadataAsync(Stream stream, string location, CancellationToken cancellationToken)
    {
        try
        {
            await using var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
            return PartMetadata.TryParse(reader.CustomMetadata.GetValueOrDefault(PartitionManifest.MetadataKey));
        }
        catch (Exception e) when (e is not (OperationCanceledException or DataException))
        {
            throw new DataException($"the part is not valid Parquet ({e.GetType().Name}: {e.Message}); partition the data again.", location, inner: e);
        }
    }
}
