using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Forecast.Core.Data;

/// <summary>
/// Reads long-format CSV (RFC 4180: comma separated, fields optionally in double quotes with "" for a quote;
/// a header without commas but with tabs or semicolons switches to that separator) straight from UTF-8 bytes
/// into columns, hashing the bytes as they stream past. Every malformed row stops the load with a
/// <see cref="DataException"/> naming the file, line and column.
/// </summary>
internal sealed class CsvSeriesReader
{
    private const int ChunkSize = 1 << 20;
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly string _file;
    private readonly DataOptions _options;
    private readonly ISeriesRowSink _builder;
    private long _rows;
    private FieldRange[] _fields = new FieldRange[8];
    private int _fieldCount;
    private long _line = 1;
    private byte _delimiter;
    private SearchValues<byte> _unquotedStops = SearchValues.Create(",\n\""u8);
    private string[]? _header;
    private int _idColumn = -1;
    private int _timeColumn;
    private int _targetColumn;
    private int[] _covariateColumns = [];
    private int _singleSeries = -1;
    private byte[] _unescaped = new byte[256];

    private CsvSeriesReader(string file, DataOptions options, ISeriesRowSink sink)
    {
        _file = file;
        _options = options;
        _builder = sink;
    }

    private readonly record struct FieldRange(int Start, int Length, bool Escaped);

    public static async Task<LoadedData> ReadAsync(Stream stream, string file, DataOptions options, CancellationToken cancellationToken)
    {
        var builder = new SeriesColumnsBuilder(options.Covariates);
        var read = await ReadRowsAsync(stream, file, options, builder, cancellationToken).ConfigureAwait(false);
        var series = builder.Build();
        if (!read.HasIdColumn && options.SeriesId is null) MissingIdColumnCheck.ThrowIfTimestampsRepeat(series[0], file, options, read.Columns);
        return new LoadedData(series, new DataFingerprint(read.Sha256, read.Rows, series.Count));
    }

    /// <summary>Streams every row into <paramref name="sink"/>, hashing the bytes as they pass.</summary>
    public static async Task<RowsRead> ReadRowsAsync(Stream stream, string file, DataOptions options, ISeriesRowSink sink, CancellationToken cancellationToken)
    {
        var reader = new CsvSeriesReader(file, options, sink);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        int start = 0, end = 0;
        long totalBytes = 0;
        bool final = false;
        while (!final)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            // A row longer than the buffer (a huge quoted field) grows it rather than failing.
            if (end == buffer.Length) Array.Resize(ref buffer, checked(buffer.Length * 2));
            int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0) final = true;
            else
            {
                hash.AppendData(buffer, end, read);
                if (totalBytes == 0 && read >= 3 && buffer.AsSpan(0, 3).SequenceEqual(Utf8Bom)) start = 3; // UTF-8 BOM
                end += read;
                totalBytes += read;
            }
            start += reader.Parse(buffer.AsSpan(start, end - start), final);
            await sink.RowsCompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (totalBytes == 0 || reader._header is null)
            throw new DataException(
                $"the file is empty; it needs a header line ({options.IdColumn},{options.TimeColumn},{options.TargetColumn}) and at least one data row.",
                file);
        if (reader._rows == 0)
            throw new DataException("the file has a header but no data rows; add rows or point data.path at the right file.", file, 1);
        return new RowsRead(Convert.ToHexStringLower(hash.GetHashAndReset()), reader._rows, reader._idColumn >= 0, reader._header);
    }

    /// <summary>Consumes every complete row of <paramref name="data"/> and returns how many bytes that was.</summary>
    private int Parse(ReadOnlySpan<byte> data, bool final)
    {
        int consumed = 0;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            if (_delimiter == 0 && !TryDetectDelimiter(rest, final)) return consumed;
            if (!TryReadRow(rest, final, out int rowLength, out bool quotedNewline)) return consumed;
            var row = rest[..rowLength];
            long rowLine = _line;
            _line += quotedNewline ? row.Count((byte)'\n') : 1;
            ProcessRow(row, rowLine);
            consumed += rowLength;
        }
        return consumed;
    }

    /// <summary>Comma unless the header line has none and has tabs or semicolons (TSV, European CSV exports).</summary>
    private bool TryDetectDelimiter(ReadOnlySpan<byte> data, bool final)
    {
        int newline = data.IndexOf((byte)'\n');
        if (newline < 0 && !final) return false;
        var first = newline < 0 ? data : data[..newline];
        _delimiter = first.Contains((byte)',') ? (byte)','
            : first.Contains((byte)'\t') ? (byte)'\t'
            : first.Contains((byte)';') ? (byte)';'
            : (byte)',';
        _unquotedStops = SearchValues.Create([_delimiter, (byte)'\n', (byte)'"']);
        return true;
    }

    /// <summary>
    /// Splits one row into field ranges. Returns false when the row may continue past the end of the data read so
    /// far (not <paramref name="final"/>); at the end of the file an unclosed quote is an error.
    /// </summary>
    private bool TryReadRow(ReadOnlySpan<byte> data, bool final, out int rowLength, out bool quotedNewline)
    {
        rowLength = 0;
        quotedNewline = false;
        _fieldCount = 0;
        int pos = 0;
        while (true)
        {
            if (pos < data.Length && data[pos] == '"')
            {
                int open = pos;
                int q = pos + 1;
                bool escaped = false;
                while (true)
                {
                    int rel = data[q..].IndexOf((byte)'"');
                    if (rel < 0)
                    {
                        if (!final) return false;
                        throw new DataException(
                            $"field {_fieldCount + 1} opens a quote that is never closed; close it with \" (write a quote inside a quoted field as \"\").",
                            _file, _line, ColumnName(_fieldCount));
                    }
                    q += rel;
                    if (q + 1 < data.Length && data[q + 1] == '"') { escaped = true; q += 2; continue; }
                    if (q + 1 >= data.Length && !final) return false;
                    break;
                }
                if (data[(open + 1)..q].Contains((byte)'\n')) quotedNewline = true;
                AddField(open + 1, q - open - 1, escaped);
                pos = q + 1;
                if (pos == data.Length) { rowLength = pos; return true; }
                byte next = data[pos];
                if (next == _delimiter) { pos++; continue; }
                if (next == '\n') { rowLength = pos + 1; return true; }
                if (next == '\r')
                {
                    if (pos + 1 == data.Length) { if (!final) return false; rowLength = pos + 1; return true; }
                    if (data[pos + 1] == '\n') { rowLength = pos + 2; return true; }
                }
                throw new DataException(
                    $"field {_fieldCount} has text after its closing quote; put the whole field in quotes and write inner quotes as \"\".",
                    _file, _line, ColumnName(_fieldCount - 1));
            }
            else
            {
                int rel = data[pos..].IndexOfAny(_unquotedStops);
                if (rel < 0)
                {
                    if (!final) return false;
                    AddField(pos, TrimCarriageReturn(data, pos, data.Length), false);
                    rowLength = data.Length;
                    return true;
                }
                int stop = pos + rel;
                byte c = data[stop];
                if (c == '"')
                    throw new DataException(
                        $"field {_fieldCount + 1} has a quote inside an unquoted value; quote the whole field (\"...\") and double inner quotes (\"\").",
                        _file, _line, ColumnName(_fieldCount));
                if (c == _delimiter)
                {
                    AddField(pos, stop - pos, false);
                    pos = stop + 1;
                    continue;
                }
                AddField(pos, TrimCarriageReturn(data, pos, stop), false);
                rowLength = stop + 1;
                return true;
            }
        }
    }

    private static int TrimCarriageReturn(ReadOnlySpan<byte> data, int start, int end) =>
        end > start && data[end - 1] == '\r' ? end - 1 - start : end - start;

    private void AddField(int start, int length, bool escaped)
    {
        if (_fieldCount == _fields.Length) Array.Resize(ref _fields, _fields.Length * 2);
        _fields[_fieldCount++] = new FieldRange(start, length, escaped);
    }

    private void ProcessRow(ReadOnlySpan<byte> row, long line)
    {
        if (_fieldCount == 1 && _fields[0].Length == 0 && !_fields[0].Escaped && (row.Length == 0 || row[0] != '"')) return; // blank line
        if (_header is null)
        {
            ReadHeader(row);
            return;
        }
        if (_fieldCount != _header.Length)
            throw new DataException(
                $"the row has {_fieldCount} fields but the header has {_header.Length} ({string.Join(", ", _header)}); "
                + $"give every row {_header.Length} fields and quote values that contain '{(char)_delimiter}'.",
                _file, line);

        int series = _singleSeries;
        if (series < 0)
        {
            var id = Field(row, _idColumn).Trim((byte)' ');
            if (id.IsEmpty)
                throw new DataException("the series id is empty; every row needs an id.", _file, line, _header[_idColumn]);
            series = _builder.IdIndex(id);
        }

        var time = Field(row, _timeColumn);
        if (!TimestampParser.TryParse(time, out long ticks))
            throw new DataException(
                $"'{Encoding.UTF8.GetString(time)}' is not a timestamp; {TimestampParser.AcceptedForms}.", _file, line, _header[_timeColumn]);

        _builder.Add(series, ticks, ParseValue(row, _targetColumn, line));
        _rows++;
        for (int c = 0; c < _covariateColumns.Length; c++) _builder.AddCovariate(c, ParseValue(row, _covariateColumns[c], line));
    }

    private double ParseValue(ReadOnlySpan<byte> row, int column, long line)
    {
        var text = Field(row, column);
        if (ValueParser.TryParse(text, out double value)) return value;
        throw new DataException($"'{Encoding.UTF8.GetString(text)}' is not a number; {ValueParser.AcceptedForms}.", _file, line, _header![column]);
    }

    /// <summary>The bytes of a field, with "" turned back into " for quoted fields that had them.</summary>
    private ReadOnlySpan<byte> Field(ReadOnlySpan<byte> row, int column)
    {
        var range = _fields[column];
        var raw = row.Slice(range.Start, range.Length);
        if (!range.Escaped) return raw;
        if (_unescaped.Length < raw.Length) _unescaped = new byte[raw.Length];
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            _unescaped[n++] = raw[i];
            if (raw[i] == '"') i++;
        }
        return _unescaped.AsSpan(0, n);
    }

    private void ReadHeader(ReadOnlySpan<byte> row)
    {
        var header = new string[_fieldCount];
        for (int i = 0; i < _fieldCount; i++) header[i] = Encoding.UTF8.GetString(Field(row, i)).Trim();
        _header = header;

        var missing = new List<string>();
        int Find(string name, string key)
        {
            int index = Array.IndexOf(header, name);
            if (index < 0) missing.Add($"'{name}' (data.{key})");
            return index;
        }
        _timeColumn = Find(_options.TimeColumn, "time_column");
        _targetColumn = Find(_options.TargetColumn, "target_column");
        _covariateColumns = [.. _options.Covariates.Select(c => Find(c, "covariates"))];
        if (missing.Count > 0)
            throw new DataException(
                $"missing column(s) {string.Join(", ", missing)}; the header has: {string.Join(", ", header)}. "
                + "Rename the columns in the file or set the config keys in brackets to the names used.",
                _file, 1);

        _idColumn = Array.IndexOf(header, _options.IdColumn);
        if (_options.SeriesId is not null || _idColumn < 0)
            _singleSeries = _builder.IdIndex((_options.SeriesId ?? Path.GetFileNameWithoutExtension(_file)).AsSpan());
    }

    private string? ColumnName(int index) => _header is not null && index < _header.Length ? _header[index] : null;
}
