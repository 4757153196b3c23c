using Forecast.Core.Models;
using Parquet;
using Parquet.Schema;

namespace Forecast.Core.Artifacts;

/// <summary>
/// Writes forecasts as Parquet with the columns of <see cref="ForecastCsvWriter"/>: unique_id (string), ds (UTC
/// timestamp), mean, q0.1 ... (double), streaming: rows are buffered and written in row groups of
/// <see cref="RowGroupRows"/> (by default), so a million series' forecasts never have to be in memory at once. The file depends only
/// on the rows in order (not on how they were handed over), so the merge of a sharded run, which adds the shards'
/// rows series by series, writes the bytes a single run writes.
/// </summary>
public sealed class ForecastParquetWriter : IAsyncDisposable
{
    /// <summary>Rows per row group: about 40 MB of columns with nine quantiles, a common Parquet row group size.</summary>
    public const int RowGroupRows = 1 << 19;

    private readonly ParquetWriter _writer;
    private readonly DataField<string> _idField;
    private readonly DataField<DateTime> _timeField;
    private readonly DataField<double> _meanField;
    private readonly DataField<double>[] _quantileFields;
    private string[] _ids;
    private DateTime[] _times;
    private double[] _mean;
    private readonly double[][] _quantiles;
    private readonly int _rowGroupRows;
    private int _rows;
    private bool _disposed;

    private ForecastParquetWriter(ParquetWriter writer, DataField<string> idField, DataField<DateTime> timeField, DataField<double> meanField, DataField<double>[] quantileFields,
        int rowGroupRows, int bufferRows)
    {
        _rowGroupRows = rowGroupRows;
        _writer = writer;
        _idField = idField;
        _timeField = timeField;
        _meanField = meanField;
        _quantileFields = quantileFields;
        _ids = new string[bufferRows];
        _times = new DateTime[bufferRows];
        _mean = new double[bufferRows];
        _quantiles = [.. quantileFields.Select(_ => new double[bufferRows])];
    }

    /// <summary>The whole file of <paramref name="forecasts"/> in memory (what a run of ordinary size writes).</summary>
    /// <param name="rowGroupRows">Rows per row group (smaller groups let a reader hold less at once).</param>
    public static async Task<byte[]> WriteAsync(IReadOnlyList<SeriesForecast> forecasts, IReadOnlyList<double> quantileLevels, int rowGroupRows = RowGroupRows, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await using (var writer = await CreateAsync(buffer, quantileLevels, forecasts.Sum(f => (long)f.Mean.Length), rowGroupRows, cancellationToken).ConfigureAwait(false))
        {
            foreach (var f in forecasts) await writer.AddAsync(f, cancellationToken).ConfigureAwait(false);
        }
        return buffer.ToArray();
    }

    /// <param name="expectedRows">How many rows will come, if known: the buffer starts that large (it grows if more come).</param>
    /// <param name="rowGroupRows">Rows per row group.</param>
    public static async Task<ForecastParquetWriter> CreateAsync(Stream output, IReadOnlyList<double> quantileLevels, long expectedRows = RowGroupRows, int rowGroupRows = RowGroupRows,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        var idField = new DataField<string>(ForecastColumns.Id);
        var timeField = new DataField<DateTime>(ForecastColumns.Time);
        var meanField = new DataField<double>(ForecastColumns.Mean);
        var quantileFields = quantileLevels.Select(l => new DataField<double>(ForecastColumns.Quantile(l))).ToArray();
        var schema = new ParquetSchema([idField, timeField, meanField, .. quantileFields]);
        var writer = await ParquetWriter.CreateAsync(schema, output, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ForecastParquetWriter(writer, idField, timeField, meanField, quantileFields, rowGroupRows, (int)Math.Clamp(expectedRows, 1, rowGroupRows));
    }

    /// <summary>Adds the rows of one series' forecast (<paramref name="quantiles"/>[q][h]).</summary>
    public Task AddAsync(string id, ReadOnlyMemory<DateTime> timestamps, ReadOnlyMemory<double> mean, IReadOnlyList<ReadOnlyMemory<double>> quantiles, CancellationToken cancellationToken = default)
    {
        if (quantiles.Count != _quantiles.Length)
            throw new ArgumentException($"Series '{id}' has {quantiles.Count} quantile rows, the file {_quantiles.Length}.", nameof(quantiles));
        return AddRowsAsync(id, timestamps, mean, quantiles, cancellationToken);
    }

    private async Task AddRowsAsync(string id, ReadOnlyMemory<DateTime> timestamps, ReadOnlyMemory<double> mean, IReadOnlyList<ReadOnlyMemory<double>> quantiles, CancellationToken cancellationToken)
    {
        for (int from = 0; from < mean.Length;)
        {
            if (_rows == _rowGroupRows) await FlushAsync(cancellationToken).ConfigureAwait(false);
            else if (_rows == _ids.Length) Grow();
            int n = Math.Min(mean.Length - from, _ids.Length - _rows);
            Array.Fill(_ids, id, _rows, n);
            var times = timestamps.Span.Slice(from, n);
            for (int h = 0; h < n; h++) _times[_rows + h] = DateTime.SpecifyKind(times[h], DateTimeKind.Utc);
            mean.Span.Slice(from, n).CopyTo(_mean.AsSpan(_rows));
            for (int q = 0; q < _quantiles.Length; q++) quantiles[q].Span.Slice(from, n).CopyTo(_quantiles[q].AsSpan(_rows));
            _rows += n;
            from += n;
        }
    }

    /// <summary>Adds one series' forecast.</summary>
    public Task AddAsync(SeriesForecast forecast, CancellationToken cancellationToken = default) =>
        AddAsync(forecast.Id, forecast.Timestamps, forecast.Mean, [.. forecast.Quantiles.Select(q => (ReadOnlyMemory<double>)q.AsMemory(0, forecast.Mean.Length))], cancellationToken);

    /// <summary>A buffer made for fewer rows than came grows (row groups are always full but the last).</summary>
    private void Grow()
    {
        int size = (int)Math.Min((long)_ids.Length * 2, _rowGroupRows);
        Array.Resize(ref _ids, size);
        Array.Resize(ref _times, size);
        Array.Resize(ref _mean, size);
        for (int q = 0; q < _quantiles.Length; q++) Array.Resize(ref _quantiles[q], size);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        using var group = _writer.CreateRowGroup();
        await group.WriteAsync(_idField, new ArraySegment<string>(_ids, 0, _rows)).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(_timeField, _times.AsMemory(0, _rows), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(_meanField, _mean.AsMemory(0, _rows), cancellationToken: cancellationToken).ConfigureAwait(false);
        for (int q = 0; q < _quantileFields.Length; q++)
            await group.WriteAsync<double>(_quantileFields[q], _quantiles[q].AsMemory(0, _rows), cancellationToken: cancellationToken).ConfigureAwait(false);
        _rows = 0;
    }

    /// <summary>Writes the last row group and the footer (a file with no rows has one empty row group, as before).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }
}
