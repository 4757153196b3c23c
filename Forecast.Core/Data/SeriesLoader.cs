namespace Forecast.Core.Data;

/// <summary>
/// Loads long-format data (<c>unique_id, ds, y</c>, optional covariates) from CSV or Parquet into series sorted by
/// id then time, columnar (one array per column, no object per row) so 10 million rows fit in well under 3 GB.
/// Duplicate timestamps are kept (in file order) for cleaning to resolve by policy.
/// </summary>
public static class SeriesLoader
{
    /// <summary>Loads <see cref="DataOptions.Path"/>; a missing file is a <see cref="DataException"/> naming the path.</summary>
    public static async Task<LoadedData> LoadAsync(DataOptions options, CancellationToken cancellationToken = default)
    {
        var stream = OpenFile(options);
        await using (stream.ConfigureAwait(false))
            return await LoadAsync(stream, options.Path, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams the rows of the local file <see cref="DataOptions.Path"/> into <paramref name="sink"/> (<see cref="ReadRowsAsync(Stream, string, DataOptions, ISeriesRowSink, CancellationToken)"/>).</summary>
    public static async Task<RowsRead> ReadRowsAsync(DataOptions options, ISeriesRowSink sink, CancellationToken cancellationToken = default)
    {
        var stream = OpenFile(options);
        await using (stream.ConfigureAwait(false))
            return await ReadRowsAsync(stream, options.Path, options, sink, cancellationToken).ConfigureAwait(false);
    }

    private static FileStream OpenFile(DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
            throw new DataException("no data file is configured; set data.path to a CSV or Parquet file.", field: "data.path");
        string fullPath = Path.GetFullPath(options.Path);
        if (Directory.Exists(fullPath))
            throw new DataException("the path is a folder, not a file; set data.path to a CSV or Parquet file inside it.", options.Path, field: "data.path");
        if (!File.Exists(fullPath))
            throw new DataException(
                $"the file does not exist (looked for {fullPath}); fix data.path (relative paths resolve against {Directory.GetCurrentDirectory()}).",
                options.Path, field: "data.path");
        try
        {
            return new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"the file cannot be opened ({e.Message}); check its permissions or fix data.path.", options.Path, field: "data.path", inner: e);
        }
    }

    /// <summary>
    /// Loads from a stream (a local file, an S3 object, ...); <paramref name="fileName"/> names the source in
    /// messages and decides the format when <see cref="DataOptions.Format"/> is auto. A name ending in .gz is
    /// gzip-compressed CSV (<c>data.csv.gz</c>); its fingerprint is still the SHA-256 of the bytes of the file.
    /// </summary>
    public static Task<LoadedData> LoadAsync(Stream stream, string fileName, DataOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        if (fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return LoadGzipAsync(stream, fileName, options, cancellationToken);
        return ResolveFormat(fileName, options.Format) switch
        {
            DataFormat.Parquet => ParquetSeriesReader.ReadAsync(stream, fileName, options, cancellationToken),
            _ => CsvSeriesReader.ReadAsync(stream, fileName, options, cancellationToken),
        };
    }

    /// <summary>
    /// Streams the rows of <paramref name="stream"/> into <paramref name="sink"/> without building series (a
    /// partition step that never holds the dataset); the same formats, checks and fingerprint as <see cref="LoadAsync(Stream, string, DataOptions, CancellationToken)"/>.
    /// </summary>
    public static async Task<RowsRead> ReadRowsAsync(Stream stream, string fileName, DataOptions options, ISeriesRowSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        if (fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            if (ResolveFormat(fileName[..^3], options.Format) != DataFormat.Csv)
                throw new DataException("only CSV can be gzip-compressed (Parquet compresses its own columns); load the .parquet file itself.", fileName, field: "data.path");
            using var hashing = new HashingReadStream(stream, leaveOpen: true);
            using var text = new VerifiedGzipStream(hashing, fileName);
            var read = await CsvSeriesReader.ReadRowsAsync(text, fileName, options, sink, cancellationToken).ConfigureAwait(false);
            await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return read with { Sha256 = hashing.Sha256() };
        }
        return ResolveFormat(fileName, options.Format) switch
        {
            DataFormat.Parquet => await ParquetSeriesReader.ReadRowsAsync(stream, fileName, options, sink, cancellationToken).ConfigureAwait(false),
            _ => await CsvSeriesReader.ReadRowsAsync(stream, fileName, options, sink, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<LoadedData> LoadGzipAsync(Stream stream, string fileName, DataOptions options, CancellationToken cancellationToken)
    {
        if (ResolveFormat(fileName[..^3], options.Format) != DataFormat.Csv)
            throw new DataException("only CSV can be gzip-compressed (Parquet compresses its own columns); load the .parquet file itself.", fileName, field: "data.path");
        using var hashing = new HashingReadStream(stream, leaveOpen: true);
        // Every member's CRC-32 and length are checked: a truncated .csv.gz must not load as fewer rows.
        using var text = new VerifiedGzipStream(hashing, fileName);
        var loaded = await CsvSeriesReader.ReadAsync(text, fileName, options, cancellationToken).ConfigureAwait(false);
        // The fingerprint identifies the file as stored, not its decompressed text (bytes after the gzip data included).
        await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        return loaded with { Fingerprint = loaded.Fingerprint with { Sha256 = hashing.Sha256() } };
    }

    /// <summary>Auto means by extension: .parquet/.pq is Parquet, .csv/.tsv/.txt is CSV (a further .gz is handled by the caller).</summary>
    public static DataFormat ResolveFormat(string fileName, DataFormat format)
    {
        if (format != DataFormat.Auto) return format;
        string extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension switch
        {
            ".parquet" or ".pq" => DataFormat.Parquet,
            ".csv" or ".tsv" or ".txt" => DataFormat.Csv,
            _ => throw new DataException(
                $"cannot tell the format from the extension '{extension}'; name the file .csv or .parquet, or set data.format: csv or parquet.",
                fileName, field: "data.format"),
        };
    }
}
