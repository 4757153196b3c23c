using System.Globalization;
using System.Security.Cryptography;
using Parquet;
using Parquet.Schema;

namespace Forecast.Core.Data;

/// <summary>
/// Reads long-format Parquet (Parquet.Net) one row group and one column at a time into columns. Ids may be
/// strings or integers; times timestamps, dates, ISO strings or epoch seconds (integers or floats); the target and
/// covariates any numeric type, nulls becoming NaN.
/// </summary>
internal static class ParquetSeriesReader
{
    /// <summary>How long the footer may take to decode; a valid one takes milliseconds even with thousands of row groups.</summary>
    internal static TimeSpan FooterTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public static async Task<LoadedData> ReadAsync(Stream stream, string file, DataOptions options, CancellationToken cancellationToken)
    {
        var builder = new SeriesColumnsBuilder(options.Covariates);
        var read = await ReadRowsAsync(stream, file, options, builder, cancellationToken).ConfigureAwait(false);
        var series = builder.Build();
        if (!read.HasIdColumn && options.SeriesId is null) MissingIdColumnCheck.ThrowIfTimestampsRepeat(series[0], file, options, read.Columns);
        return new LoadedData(series, new DataFingerprint(read.Sha256, read.Rows, series.Count));
    }

    /// <summary>Streams every row into <paramref name="builder"/>, one row group at a time.</summary>
    public static async Task<RowsRead> ReadRowsAsync(Stream stream, string file, DataOptions options, ISeriesRowSink builder, CancellationToken cancellationToken)
    {
        // Parquet keeps its footer at the end, so the reader needs to seek; S3 or HTTP streams are buffered first.
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            stream = copy;
        }
        long origin = stream.Position;
        if (stream.Length - origin == 0)
            throw new DataException($"the file is empty; it needs a Parquet file with columns {options.IdColumn}, {options.TimeColumn}, {options.TargetColumn}.", file);
        string sha256 = System.Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        stream.Position = origin;

        ParquetReader reader;
        DataField[] fields;
        // Some corrupt footers send Parquet.Net 6.1's metadata decoder into a loop that never ends and ignores
        // cancellation (found by fuzzing): the footer gets a deadline, after which the decoding is abandoned.
        var seekable = stream;
        var open = Task.Run(async () =>
        {
            var opened = await ParquetReader.CreateAsync(seekable, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
            return (Reader: opened, Fields: opened.Schema.GetDataFields()); // the schema is decoded from the footer on first use
        }, cancellationToken);
        try
        {
            (reader, fields) = await open.WaitAsync(FooterTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new DataException(string.Create(CultureInfo.InvariantCulture,
                $"the Parquet footer (the file's metadata) could not be decoded within {FooterTimeout.TotalSeconds:F0} s; the file is corrupt, write it again."), file, inner: e);
        }
        catch (Exception e) when (IsDecodingFailure(e))
        {
            throw new DataException($"the file is not valid Parquet ({e.GetType().Name}: {e.Message}); write it with a Parquet writer or set data.format: csv.", file, inner: e);
        }

        await using (reader.ConfigureAwait(false))
        {
            var columnNames = fields.Select(f => f.Name).ToArray();
            var missing = new List<string>();
            DataField? Find(string name, string key)
            {
                var field = fields.FirstOrDefault(f => f.Name == name);
                if (field is null) missing.Add($"'{name}' (data.{key})");
                return field;
            }
            var timeField = Find(options.TimeColumn, "time_column");
            var targetField = Find(options.TargetColumn, "target_column");
            var covariateFields = options.Covariates.Select(c => Find(c, "covariates")).ToArray();
            if (missing.Count > 0)
                throw new DataException(
                    $"missing column(s) {string.Join(", ", missing)}; the file has: {string.Join(", ", columnNames)}. "
                    + "Rename the columns in the file or set the config keys in brackets to the names used.", file);
            var idField = options.SeriesId is null ? fields.FirstOrDefault(f => f.Name == options.IdColumn) : null;

            int singleSeries = idField is null ? builder.IdIndex((options.SeriesId ?? Path.GetFileNameWithoutExtension(file)).AsSpan()) : -1;
            long firstRow = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string column = "";
                int[]? ids;
                long[] ticks;
                double[] values;
                var covariates = new double[covariateFields.Length][];
                int n;
                // Corrupt pages make Parquet.Net's decoders fail in many ways (InvalidDataException "Invalid copy
                // offset" from Snappy, IndexOutOfRange, Overflow ...): each becomes a data error naming the row group and column.
                try
                {
                    using var group = reader.OpenRowGroupReader(g);
                    n = checked((int)group.RowCount);
                    column = idField?.Name ?? "";
                    ids = idField is null ? null : await ReadSeriesIndicesAsync(group, idField, n, builder, file, firstRow, cancellationToken).ConfigureAwait(false);
                    column = timeField!.Name;
                    ticks = await ReadTicksAsync(group, timeField!, n, file, firstRow, cancellationToken).ConfigureAwait(false);
                    column = targetField!.Name;
                    values = await ReadValuesAsync(group, targetField!, n, file, firstRow, cancellationToken).ConfigureAwait(false);
                    for (int c = 0; c < covariateFields.Length; c++)
                    {
                        column = covariateFields[c]!.Name;
                        covariates[c] = await ReadValuesAsync(group, covariateFields[c]!, n, file, firstRow, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (IsDecodingFailure(e))
                {
                    throw new DataException(
                        $"row group {g + 1} of {reader.RowGroupCount} cannot be decoded ({e.GetType().Name}: {e.Message}); the file is corrupt or truncated, write it again.",
                        file, field: column.Length > 0 ? column : null, inner: e);
                }

                for (int i = 0; i < n; i++)
                {
                    builder.Add(ids is null ? singleSeries : ids[i], ticks[i], values[i]);
                    for (int c = 0; c < covariates.Length; c++) builder.AddCovariate(c, covariates[c][i]);
                }
                firstRow += n;
                await builder.RowsCompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            if (firstRow == 0)
                throw new DataException("the file has columns but no rows; add rows or point data.path at the right file.", file);
            return new RowsRead(sha256, firstRow, idField is not null, columnNames);
        }
    }

    /// <summary>A failure of the Parquet decoder on bad bytes, as opposed to our own errors and cancellation.</summary>
    private static bool IsDecodingFailure(Exception e) => e is not (DataException or OperationCanceledException);

    /// <summary>Reads the id column as series indices of <paramref name="builder"/>; text ids are looked up by span, without a string per row.</summary>
    private static async Task<int[]> ReadSeriesIndicesAsync(
        ParquetRowGroupReader group, DataField field, int n, ISeriesRowSink builder, string file, long firstRow, CancellationToken ct)
    {
        var indices = new int[n];
        var type = field.ClrType;
        if (type == typeof(ReadOnlyMemory<char>))
        {
            var raw = await ReadStructsAsync<ReadOnlyMemory<char>>(group, field, n, ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++)
            {
                var id = raw[i] is ReadOnlyMemory<char> text ? text.Span.Trim() : default;
                if (id.IsEmpty) throw EmptyId(file, field, firstRow + i);
                indices[i] = builder.IdIndex(id);
            }
        }
        else if (type == typeof(string))
        {
            var raw = new string?[n];
            await group.ReadAsync(field, raw.AsMemory()!, null, ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++)
            {
                var id = raw[i].AsSpan().Trim();
                if (id.IsEmpty) throw EmptyId(file, field, firstRow + i);
                indices[i] = builder.IdIndex(id);
            }
        }
        else if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            var numbers = await ReadNumbersAsync(group, field, n, file, ct).ConfigureAwait(false);
            Span<char> text = stackalloc char[24];
            for (int i = 0; i < n; i++)
            {
                if (double.IsNaN(numbers[i])) throw EmptyId(file, field, firstRow + i);
                ((long)numbers[i]).TryFormat(text, out int written, provider: CultureInfo.InvariantCulture);
                indices[i] = builder.IdIndex(text[..written]);
            }
        }
        else throw new DataException($"the id column has type {type.Name}; store ids as strings or integers.", file, field: field.Name);
        return indices;
    }

    private static DataException EmptyId(string file, DataField field, long row) =>
        new($"row {row + 1} has an empty or null series id; every row needs an id.", file, field: field.Name);

    private static bool IsText(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    private static async Task<long[]> ReadTicksAsync(ParquetRowGroupReader group, DataField field, int n, string file, long firstRow, CancellationToken ct)
    {
        var ticks = new long[n];
        var type = field.ClrType;
        if (type == typeof(DateTime))
        {
            var raw = await ReadStructsAsync<DateTime>(group, field, n, ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++)
                ticks[i] = raw[i] is DateTime t ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).Ticks : throw NullTime(file, field, firstRow + i);
        }
        else if (type == typeof(DateTimeOffset))
        {
            var raw = await ReadStructsAsync<DateTimeOffset>(group, field, n, ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++) ticks[i] = raw[i] is DateTimeOffset t ? t.UtcTicks : throw NullTime(file, field, firstRow + i);
        }
        else if (type == typeof(DateOnly))
        {
            var raw = await ReadStructsAsync<DateOnly>(group, field, n, ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++) ticks[i] = raw[i] is DateOnly d ? d.ToDateTime(TimeOnly.MinValue).Ticks : throw NullTime(file, field, firstRow + i);
        }
        else if (IsText(type))
        {
            var raw = new string?[n];
            await group.ReadAsync(field, raw.AsMemory()!, null, ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++)
                if (!TimestampParser.TryParse(raw[i].AsSpan(), out ticks[i]))
                    throw new DataException($"row {firstRow + i + 1}: '{raw[i]}' is not a timestamp; {TimestampParser.AcceptedForms}.", file, field: field.Name);
        }
        else
        {
            // Numbers are epoch seconds.
            var seconds = await ReadNumbersAsync(group, field, n, file, ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++)
                if (!TimestampParser.TryFromEpochSeconds(seconds[i], out ticks[i]))
                    throw new DataException($"row {firstRow + i + 1}: {seconds[i]} is not a timestamp in epoch seconds; {TimestampParser.AcceptedForms}.", file, field: field.Name);
        }
        return ticks;
    }

    private static DataException NullTime(string file, DataField field, long row) =>
        new($"row {row + 1} has no timestamp (null); every row needs one.", file, field: field.Name);

    /// <summary>A target or covariate column: numbers, with nulls as NaN; infinities are errors, as in CSV.</summary>
    private static async Task<double[]> ReadValuesAsync(ParquetRowGroupReader group, DataField field, int n, string file, long firstRow, CancellationToken ct)
    {
        var values = await ReadNumbersAsync(group, field, n, file, ct).ConfigureAwait(false);
        int infinite = Array.FindIndex(values, v => !double.IsNaN(v) && !ValueParser.IsUsable(v));
        if (infinite >= 0)
            throw new DataException(string.Create(CultureInfo.InvariantCulture, $"row {firstRow + infinite + 1}: {values[infinite]} is not a usable value; {ValueParser.AcceptedForms}."), file, field: field.Name);
        return values;
    }

    private static async Task<double[]> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, int n, string file, CancellationToken ct)
    {
        var type = field.ClrType;
        if (type == typeof(double)) return ToDoubles(await ReadStructsAsync<double>(group, field, n, ct).ConfigureAwait(false), v => v);
        if (type == typeof(float)) return ToDoubles(await ReadStructsAsync<float>(group, field, n, ct).ConfigureAwait(false), v => v);
        if (type == typeof(int)) return ToDoubles(await ReadStructsAsync<int>(group, field, n, ct).ConfigureAwait(false), v => v);
        if (type == typeof(long)) return ToDoubles(await ReadStructsAsync<long>(group, field, n, ct).ConfigureAwait(false), v => v);
        if (type == typeof(short)) return ToDoubles(await ReadStructsAsync<short>(group, field, n, ct).ConfigureAwait(false), v => v);
        if (type == typeof(decimal)) return ToDoubles(await ReadStructsAsync<decimal>(group, field, n, ct).ConfigureAwait(false), v => (double)v);
        if (IsText(type))
        {
            var raw = new string?[n];
            await group.ReadAsync(field, raw.AsMemory()!, null, ct).ConfigureAwait(false);
            var result = new double[n];
            for (int i = 0; i < n; i++)
                if (!ValueParser.TryParse(raw[i].AsSpan(), out result[i]))
                    throw new DataException($"'{raw[i]}' is not a number; {ValueParser.AcceptedForms}.", file, field: field.Name);
            return result;
        }
        throw new DataException($"the column has type {type.Name}; store it as a number (double, float, int or decimal).", file, field: field.Name);
    }

    /// <summary>Reads a column of value type <typeparamref name="T"/>, as nullable so optional columns (nulls) read the same way.</summary>
    private static async Task<T?[]> ReadStructsAsync<T>(ParquetRowGroupReader group, DataField field, int n, CancellationToken ct) where T : struct
    {
        var values = new T?[n];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
        }
        else
        {
            var plain = new T[n];
            await group.ReadAsync<T>(field, plain.AsMemory(), null, ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++) values[i] = plain[i];
        }
        return values;
    }

    private static double[] ToDoubles<T>(T?[] values, Func<T, double> toDouble) where T : struct
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i] is T v ? toDouble(v) : double.NaN;
        return result;
    }
}
