namespace Forecast.Core.Data;

/// <summary>
/// Loads long-format data (<c>unique_id, ds, y</c>, optional covariates) from CSV or Parquet into series sorted by
/// id then time, columnar (one array per column, no object per row) so 10 million rows fit in well under 3 GB.
/// </summary>
public static class SeriesLoader
{
    /// <summary>Loads <see cref="DataOptions.Path"/>; a missing file is a <see cref="DataException"/> naming the path.</summary>
    public static Task<LoadedData> LoadAsync(DataOptions options, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException();
    }

    /// <summary>
    /// Loads from a stream (a local file, an S3 object, ...); <paramref name="fileName"/> names the source in
    /// messages and decides the format when <see cref="DataOptions.Format"/> is auto.
    /// </summary>
    public static Task<LoadedData> LoadAsync(Stream stream, string fileName, DataOptions options, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException();
    }
}
