using System.Security.Cryptography;
using Forecast.Core.Artifacts;
using Parquet;
using Parquet.Schema;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// Reads a shard's forecasts.parquet row group by row group and hands out the rows of one series at a time, in the
/// shard's order, for the merge to write into the merged file in global order. One row group is held at a time (a
/// shard writes small ones: <see cref="ShardRun.ParquetRowGroupRows"/>). The file is checked against the shard's
/// manifest before it is decoded.
/// </summary>
internal sealed class ShardParquetCursor : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly Func<ShardMergeException> _damaged;
    private int _group = -1, _at, _count;
    private string[] _ids = [];
    private DateTime[] _times = [];
    private double[][] _values = [];

    // The rows of the series taken last (grown as needed).
    private string _id = "";
    private DateTime[] _seriesTimes = [];
    private double[][] _seriesValues;

    private ShardParquetCursor(Stream stream, ParquetReader reader, DataField[] fields, Func<ShardMergeException> damaged)
    {
        _stream = stream;
        _reader = reader;
        _fields = fields;
        _damaged = damaged;
        _seriesValues = [.. fields.Skip(2).Select(_ => Array.Empty<double>())];
    }

    public static async Task<ShardParquetCursor> OpenAsync(ShardSet set, LoadedShard shard, IReadOnlyList<double> quantileLevels, CancellationToken cancellationToken)
    {
        const string path = "forecasts.parquet";
        var entry = shard.Entry(path) ?? throw set.Damaged(shard, path);
        var stream = await set.Store.OpenReadAsync(shard.Prefix + path, cancellationToken).ConfigureAwait(false) ?? throw set.Damaged(shard, path);
        try
        {
            string sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            if (stream.Length != entry.Size || sha256 != entry.Sha256) throw set.Damaged(shard, path);
            stream.Position = 0;
            var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
            var fields = reader.Schema.GetDataFields();
            string[] expected = [ForecastColumns.Id, ForecastColumns.Time, ForecastColumns.Mean, .. quantileLevels.Select(ForecastColumns.Quantile)];
            if (!fields.Select(f => f.Name).SequenceEqual(expected))
                throw new ShardMergeException($"{set.Store.Describe(shard.Prefix + path)} has columns {string.Join(", ", fields.Select(f => f.Name))}, not the {string.Join(", ", expected)} of the merge's config; rerun the shards with it.");
            return new ShardParquetCursor(stream, reader, fields, () => set.Damaged(shard, path));
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The next <paramref name="rows"/> rows, all of one series: its id, times and value columns (mean, then quantiles), valid until the next call.</summary>
    public async Task<(string Id, ReadOnlyMemory<DateTime> Times, ReadOnlyMemory<double>[] Values)> TakeAsync(int rows, CancellationToken cancellationToken)
    {
        if (_seriesTimes.Length < rows)
        {
            _seriesTimes = new DateTime[rows];
            for (int c = 0; c < _seriesValues.Length; c++) _seriesValues[c] = new double[rows];
        }
        for (int taken = 0; taken < rows;)
        {
            if (_at == _count) await NextGroupAsync(cancellationToken).ConfigureAwait(false);
            int n = Math.Min(rows - taken, _count - _at);
            if (taken == 0) _id = _ids[_at];
            for (int r = _at; r < _at + n; r++) if (!string.Equals(_ids[r], _id, StringComparison.Ordinal)) throw _damaged();
            Array.Copy(_times, _at, _seriesTimes, taken, n);
            for (int c = 0; c < _values.Length; c++) Array.Copy(_values[c], _at, _seriesValues[c], taken, n);
            _at += n;
            taken += n;
        }
        return (_id, _seriesTimes.AsMemory(0, rows), [.. _seriesValues.Select(v => (ReadOnlyMemory<double>)v.AsMemory(0, rows))]);
    }

    private async Task NextGroupAsync(CancellationToken cancellationToken)
    {
        if (++_group >= _reader.RowGroupCount) throw _damaged();
        using var group = _reader.OpenRowGroupReader(_group);
        _count = checked((int)group.RowCount);
        _at = 0;
        _ids = new string[_count];
        await group.ReadAsync(_fields[0], _ids.AsMemory()!, null, cancellationToken).ConfigureAwait(false);
        _times = new DateTime[_count];
        await group.ReadAsync<DateTime>(_fields[1], _times.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        _values = new double[_fields.Length - 2][];
        for (int c = 0; c < _values.Length; c++)
        {
            _values[c] = new double[_count];
            await group.ReadAsync<double>(_fields[c + 2], _values[c].AsMemory(), null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every row was taken (a shard's file holds exactly its series' rows).</summary>
    public void VerifyAtEnd()
    {
        if (_at != _count || _group != _reader.RowGroupCount - 1) throw _damaged();
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
