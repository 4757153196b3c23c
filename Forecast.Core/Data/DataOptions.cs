namespace Forecast.Core.Data;

/// <summary>
/// Where the long-format data (<c>unique_id, ds, y</c> plus optional covariates) is and how its columns are named.
/// Config section <c>data:</c>; every key and its default is documented in docs/data.md.
/// </summary>
public sealed record DataOptions
{
    /// <summary>Path of the CSV or Parquet file (relative paths resolve against the working directory).</summary>
    public string Path { get; init; } = "";

    public DataFormat Format { get; init; } = DataFormat.Auto;

    /// <summary>Column holding the series id. A file without this column is one series (see <see cref="SeriesId"/>).</summary>
    public string IdColumn { get; init; } = "unique_id";

    /// <summary>Column holding the timestamp: date, datetime, ISO 8601 with offset (normalised to UTC) or epoch seconds.</summary>
    public string TimeColumn { get; init; } = "ds";

    /// <summary>Column holding the target value; empty cells, NA, NaN and null are missing values (NaN).</summary>
    public string TargetColumn { get; init; } = "y";

    /// <summary>Numeric covariate columns to load besides the target (each must exist).</summary>
    public IReadOnlyList<string> Covariates { get; init; } = [];

    /// <summary>
    /// CSV of the future values of known-in-advance covariates for the forecast beyond the data (id, ds, covariate
    /// columns; exactly <c>horizon</c> rows per series); null when the model uses none.
    /// </summary>
    public string? FutureCovariatesPath { get; init; }

    /// <summary>Id of the single series of a file without an id column; null takes the file name without extension.</summary>
    public string? SeriesId { get; init; }
}
