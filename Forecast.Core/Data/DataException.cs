namespace Forecast.Core.Data;

/// <summary>
/// The input data cannot be used: the message names the file, the line (1-based, counting the header as line 1)
/// and the column or series at fault, and says what would fix it. The pipeline maps it to exit code 3.
/// </summary>
public sealed class DataException : Exception
{
    public DataException(string message, string? file = null, long? line = null, string? field = null, Exception? inner = null)
        : base(Compose(message, file, line, field), inner)
    {
        File = file;
        Line = line;
        Field = field;
    }

    /// <summary>The file (or stream name) the data came from, when known.</summary>
    public string? File { get; }

    /// <summary>The 1-based line of the file (header = line 1), or the row number in a Parquet file; null when the problem is not on one line.</summary>
    public long? Line { get; }

    /// <summary>The column or series the problem is in, when known.</summary>
    public string? Field { get; }

    private static string Compose(string message, string? file, long? line, string? field)
    {
        var where = new List<string>(3);
        if (file is not null) where.Add(file);
        if (line is not null) where.Add($"line {line}");
        if (field is not null) where.Add($"'{field}'");
        return where.Count == 0 ? message : $"{string.Join(", ", where)}: {message}";
    }
}
