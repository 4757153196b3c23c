namespace Forecast.Core.Data;

/// <summary>What streaming a file's rows into an <see cref="ISeriesRowSink"/> found: the SHA-256 of its bytes, its rows, its columns.</summary>
/// <param name="HasIdColumn">Whether the file has the id column (without it the file is one series).</param>
public sealed record RowsRead(string Sha256, long Rows, bool HasIdColumn, IReadOnlyList<string> Columns);
