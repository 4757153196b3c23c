namespace Forecast.Core.Data;

/// <summary>
/// Where the CSV and Parquet readers put the rows of long-format data as they stream past: the loader's columns
/// (<see cref="SeriesLoader.LoadAsync(DataOptions, CancellationToken)"/>), or a sharded job's partition step, which
/// writes each row to the part of its series and never holds the dataset.
/// </summary>
public interface ISeriesRowSink
{
    /// <summary>The index of series <paramref name="id"/>, numbered from 0 in order of first appearance.</summary>
    int IdIndex(ReadOnlySpan<char> id);

    /// <summary>The same for a UTF-8 id.</summary>
    int IdIndex(ReadOnlySpan<byte> utf8);

    /// <summary>Adds a row: series index, UTC ticks, target value (NaN when missing).</summary>
    void Add(int series, long utcTicks, double value);

    /// <summary>Covariate <paramref name="covariate"/> of the row just added.</summary>
    void AddCovariate(int covariate, double value);

    /// <summary>Called after each Parquet row group or CSV chunk: every row added so far is complete and may be written out.</summary>
    ValueTask RowsCompleteAsync(CancellationToken cancellationToken);
}
