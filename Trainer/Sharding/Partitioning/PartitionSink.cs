using System.Text;
using Forecast.Core.Artifacts;
using Forecast.Core.Data;
using Parquet;
using Parquet.Schema;

namespace Forecast.Trainer.Sharding.Partitioning;

/// <summary>
/// Receives the input's rows as the readers stream them (<see cref="ISeriesRowSink"/>) and writes each to the Parquet
/// part of its series (FNV-1a-64 of the UTF-8 id mod parts), one temporary file per part, a row group at a time. It
/// holds at most one buffer per part (<see cref="BufferRows"/> rows in all) plus one entry per series id: memory
/// grows with the number of series and parts, never with the rows.
/// </summary>
internal sealed class PartitionSink : ISeriesRowSink, IAsyncDisposable
{
    /// <summary>Rows buffered over all parts before a part's buffer is written out as a row group (about 100 MB without covariates).</summary>
    public const int BufferRows = 1 << 22;

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _ids = [];
    private readonly List<int> _partOf = [];
    private readonly PartWriter[] _parts;
    private readonly int _rowGroupRows;
    private byte[] _lastUtf8 = [];
    private int _lastId = -1;
    private char[] _chars = new char[256];
    private int _lastPart;

    private PartitionSink(PartWriter[] parts, int rowGroupRows)
    {
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        _parts = parts;
        _rowGroupRows = rowGroupRows;
    }

    public static async Task<PartitionSink> CreateAsync(string batch, int parts, DataOptions data, CancellationToken cancellationToken)
    {
        int rowGroupRows = Math.Clamp(BufferRows / parts, 1 << 12, 1 << 20);
        var writers = new PartWriter[parts];
        try
        {
            for (int p = 0; p < parts; p++)
                writers[p] = await PartWriter.CreateAsync(new PartMetadata(batch, p, parts), data, rowGroupRows, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var writer in writers) if (writer is not null) await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new PartitionSink(writers, rowGroupRows);
    }

    public int Series => _ids.Count;

    public int IdIndex(ReadOnlySpan<byte> utf8)
    {
        if (_lastId >= 0 && utf8.SequenceEqual(_lastUtf8)) return _lastId;
        int needed = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (_chars.Length < needed) _chars = new char[needed];
        int n = Encoding.UTF8.GetChars(utf8, _chars);
        _lastId = IdIndex(_chars.AsSpan(0, n));
        _lastUtf8 = utf8.ToArray();
        return _lastId;
    }

    public int IdIndex(ReadOnlySpan<char> id)
    {
        if (_lookup.TryGetValue(id, out int index)) return index;
        string s = id.ToString();
        index = _ids.Count;
        _ids.Add(s);
        _index.Add(s, index);
        _partOf.Add(ShardSpec.Of(s, _parts.Length));
        return index;
    }

    public void Add(int series, long utcTicks, double value)
    {
        _lastPart = _partOf[series];
        _parts[_lastPart].Add(_ids[series], utcTicks, value);
    }

    public void AddCovariate(int covariate, double value) => _parts[_lastPart].AddCovariate(covariate, value);

    public async ValueTask RowsCompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var part in _parts)
            if (part.Buffered >= _rowGroupRows) await part.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is left and closes every part: its file (to be put into the store), SHA-256, rows and series.</summary>
    public async Task<IReadOnlyList<(TemporaryRunFile File, PartitionFile Entry)>> CloseAsync(CancellationToken cancellationToken)
    {
        var seriesPerPart = new int[_parts.Length];
        foreach (int p in _partOf) seriesPerPart[p]++;
        var closed = new List<(TemporaryRunFile, PartitionFile)>(_parts.Length);
        for (int p = 0; p < _parts.Length; p++)
        {
            var (file, sha256, rows) = await _parts[p].CloseAsync(cancellationToken).ConfigureAwait(false);
            closed.Add((file, new PartitionFile(p, PartitionManifest.PartFileName(p, _parts.Length), sha256, rows, seriesPerPart[p])));
        }
        return closed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var part in _parts) await part.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One part: a Parquet file (the input's column names; ds as a timestamp, to the tick) written a row group at a time.</summary>
    private sealed class PartWriter : IAsyncDisposable
    {
        private readonly TemporaryRunFile _file;
        private readonly ParquetWriter _writer;
        private readonly DataField<string> _idField;
        private readonly DataField<DateTime> _timeField;
        private readonly DataField<double> _targetField;
        private readonly DataField<double>[] _covariateFields;
        private string[] _ids = new string[64];
        private DateTime[] _times = new DateTime[64];
        private double[] _values = new double[64];
        private readonly double[][] _covariates;
        private int _count;
        private long _rows;
        private bool _closed;

        private PartWriter(TemporaryRunFile file, ParquetWriter writer, DataField<string> idField, DataField<DateTime> timeField, DataField<double> targetField, DataField<double>[] covariateFields)
        {
            _file = file;
            _writer = writer;
            _idField = idField;
            _timeField = timeField;
            _targetField = targetField;
            _covariateFields = covariateFields;
            _covariates = [.. covariateFields.Select(_ => new double[64])];
        }

        public static async Task<PartWriter> CreateAsync(PartMetadata metadata, DataOptions data, int rowGroupRows, CancellationToken cancellationToken)
        {
            var idField = new DataField<string>(data.IdColumn);
            var timeField = new DataField<DateTime>(data.TimeColumn);
            var targetField = new DataField<double>(data.TargetColumn);
            var covariateFields = data.Covariates.Select(c => new DataField<double>(c)).ToArray();
            var file = new TemporaryRunFile();
            try
            {
                var writer = await ParquetWriter.CreateAsync(new ParquetSchema([idField, timeField, targetField, .. covariateFields]), file.Stream, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                writer.CustomMetadata = new Dictionary<string, string> { [PartitionManifest.MetadataKey] = metadata.ToJson() };
                return new PartWriter(file, writer, idField, timeField, targetField, covariateFields);
            }
            catch
            {
                await file.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public int Buffered => _count;

        public void Add(string id, long utcTicks, double value)
        {
            if (_count == _ids.Length) Grow();
            _ids[_count] = id;
            _times[_count] = new DateTime(utcTicks, DateTimeKind.Utc);
            _values[_count] = value;
            _count++;
        }

        public void AddCovariate(int covariate, double value) => _covariates[covariate][_count - 1] = value;

        private void Grow()
        {
            int size = _ids.Length * 2;
            Array.Resize(ref _ids, size);
            Array.Resize(ref _times, size);
            Array.Resize(ref _values, size);
            for (int c = 0; c < _covariates.Length; c++) Array.Resize(ref _covariates[c], size);
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_count == 0) return;
            using (var group = _writer.CreateRowGroup())
            {
                await group.WriteAsync(_idField, new ArraySegment<string>(_ids, 0, _count)).ConfigureAwait(false);
                await group.WriteAsync<DateTime>(_timeField, _times.AsMemory(0, _count), cancellationToken: cancellationToken).ConfigureAwait(false);
                await group.WriteAsync<double>(_targetField, _values.AsMemory(0, _count), cancellationToken: cancellationToken).ConfigureAwait(false);
                for (int c = 0; c < _covariateFields.Length; c++)
                    await group.WriteAsync<double>(_covariateFields[c], _covariates[c].AsMemory(0, _count), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            _rows += _count;
            Array.Clear(_ids, 0, _count);
            _count = 0;
        }

        public async Task<(TemporaryRunFile File, string Sha256, long Rows)> CloseAsync(CancellationToken cancellationToken)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            _closed = true;
            await _writer.DisposeAsync().ConfigureAwait(false);
            return (_file, await _file.CloseAsync().ConfigureAwait(false), _rows);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_closed)
            {
                _closed = true;
                try { await _writer.DisposeAsync().ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or InvalidOperationException) { /* the part is discarded anyway */ }
            }
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
