namespace Forecast.Core.Data;

/// <summary>The file format of the input data; <see cref="Auto"/> decides from the file extension (.csv, .parquet).</summary>
public enum DataFormat
{
    Auto,
    Csv,
    Parquet,
}
