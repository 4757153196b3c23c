using System.Globalization;

namespace Forecast.Prophet;

/// <summary>
/// The columnar data frame prophet works on: a <c>ds</c> column of timestamps (naive UTC) plus named numeric columns
/// (<c>y</c>, <c>cap</c>, <c>floor</c>, extra regressors; NaN = missing) and boolean columns (conditions of
/// conditional seasonalities). Rows keep their insertion order; prophet sorts them itself.
/// </summary>
public sealed class ProphetFrame
{
    private readonly Dictionary<string, double[]> _numeric = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool[]> _boolean = new(StringComparer.Ordinal);

    public ProphetFrame(IReadOnlyList<DateTime> ds)
    {
        ArgumentNullException.ThrowIfNull(ds);
        Ds = ds.ToArray();
    }

    /// <summary>A frame with <c>ds</c> and <c>y</c> (NaN marks a missing y).</summary>
    public ProphetFrame(IReadOnlyList<DateTime> ds, IReadOnlyList<double> y)
        : this(ds)
    {
        Add("y", y);
    }

    public DateTime[] Ds { get; }

    public int RowCount => Ds.Length;

    /// <summary>The <c>y</c> column, or null when the frame has none (a future frame).</summary>
    public double[]? Y => TryGetNumeric("y");

    public IEnumerable<string> NumericColumnNames => _numeric.Keys;

    public IEnumerable<string> BooleanColumnNames => _boolean.Keys;

    /// <summary>Adds (or replaces) a numeric column; returns this frame for chaining.</summary>
    public ProphetFrame Add(string name, IReadOnlyList<double> values)
    {
        CheckColumn(name, values.Count);
        _boolean.Remove(name);
        _numeric[name] = values.ToArray();
        return this;
    }

    /// <summary>Adds (or replaces) a numeric column with one value on every row (e.g. a constant cap).</summary>
    public ProphetFrame Add(string name, double value) => Add(name, Enumerable.Repeat(value, RowCount).ToArray());

    /// <summary>Adds (or replaces) a boolean column; returns this frame for chaining.</summary>
    public ProphetFrame Add(string name, IReadOnlyList<bool> values)
    {
        CheckColumn(name, values.Count);
        _numeric.Remove(name);
        _boolean[name] = values.ToArray();
        return this;
    }

    public bool HasColumn(string name) => _numeric.ContainsKey(name) || _boolean.ContainsKey(name);

    public double[]? TryGetNumeric(string name) => _numeric.TryGetValue(name, out var values) ? values : null;

    public bool[]? TryGetBoolean(string name) => _boolean.TryGetValue(name, out var values) ? values : null;

    public double[] GetNumeric(string name) =>
        TryGetNumeric(name) ?? throw new ArgumentException(
            $"The data frame has no numeric column '{name}'. Add it with frame.Add(\"{name}\", values).", nameof(name));

    public bool[] GetBoolean(string name) =>
        TryGetBoolean(name) ?? throw new ArgumentException(
            $"The data frame has no boolean column '{name}'. Add it with frame.Add(\"{name}\", boolValues).", nameof(name));

    /// <summary>The rows at <paramref name="indices"/>, in that order, with every column.</summary>
    public ProphetFrame Select(IReadOnlyList<int> indices)
    {
        var result = new ProphetFrame(Gather(Ds, indices));
        foreach (var (name, values) in _numeric)
        {
            result._numeric[name] = Gather(values, indices);
        }

        foreach (var (name, values) in _boolean)
        {
            result._boolean[name] = Gather(values, indices);
        }

        return result;
    }

    private static T[] Gather<T>(T[] values, IReadOnlyList<int> indices)
    {
        var result = new T[indices.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = values[indices[i]];
        }

        return result;
    }

    /// <summary>The rows for which <paramref name="keep"/> is true.</summary>
    public ProphetFrame Where(Func<int, bool> keep) => Select(Enumerable.Range(0, RowCount).Where(keep).ToArray());

    public ProphetFrame Clone()
    {
        var result = new ProphetFrame(Ds);
        foreach (var (name, values) in _numeric)
        {
            result._numeric[name] = (double[])values.Clone();
        }

        foreach (var (name, values) in _boolean)
        {
            result._boolean[name] = (bool[])values.Clone();
        }

        return result;
    }

    /// <summary>
    /// Reads a CSV file with a header row, a <c>ds</c> column and any numeric or boolean columns (TRUE/FALSE).
    /// Empty fields and NA are missing values. ds is parsed as R prophet does (<c>set_date</c>): "yyyy-MM-dd" or
    /// "yyyy-MM-dd HH:mm:ss" (a 'T' separator is accepted too), as naive UTC.
    /// </summary>
    public static ProphetFrame ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        return ReadCsv(reader, path);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names the input in error messages.</summary>
    public static ProphetFrame ReadCsv(TextReader reader, string source)
    {
        var text = reader.ReadToEnd();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count == 1 && text.Contains('\r'))
        {
            lines = text.Split('\r').ToList(); // old Mac line endings
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (lines.Count == 0)
        {
            throw new FormatException($"{source}: the file is empty; expected a header row with a 'ds' column.");
        }

        var header = SplitCsvLine(lines[0]).Select(h => h.Trim()).ToArray();
        var dsIndex = Array.IndexOf(header, "ds");
        if (dsIndex < 0)
        {
            throw new FormatException($"{source}, line 1: no 'ds' column in the header '{lines[0]}'.");
        }

        var rows = new List<string[]>(lines.Count - 1);
        for (var i = 1; i < lines.Count; i++)
        {
            var fields = SplitCsvLine(lines[i]);
            if (fields.Length != header.Length)
            {
                throw new FormatException(
                    $"{source}, line {i + 1}: {fields.Length} fields but the header has {header.Length}.");
            }

            rows.Add(fields);
        }

        var ds = new DateTime[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var field = rows[r][dsIndex].Trim();
            ds[r] = ParseDate(field) ?? throw new FormatException(
                $"{source}, line {r + 2}, field 'ds': '{field}' is not a date 'yyyy-MM-dd' or 'yyyy-MM-dd HH:mm:ss'.");
        }

        var frame = new ProphetFrame(ds);
        for (var c = 0; c < header.Length; c++)
        {
            if (c == dsIndex)
            {
                continue;
            }

            var raw = rows.Select(row => row[c].Trim()).ToArray();
            if (raw.All(v => IsMissing(v) || IsBoolean(v)) && raw.Any(IsBoolean))
            {
                frame.Add(header[c], raw.Select(v => ParseBoolean(v)).ToArray());
                continue;
            }

            var values = new double[raw.Length];
            for (var r = 0; r < raw.Length; r++)
            {
                if (IsMissing(raw[r]))
                {
                    values[r] = double.NaN;
                }
                else if (!double.TryParse(raw[r], NumberStyles.Float, CultureInfo.InvariantCulture, out values[r]))
                {
                    throw new FormatException(
                        $"{source}, line {r + 2}, field '{header[c]}': '{raw[r]}' is not a number (leave it empty for a missing value).");
                }
            }

            frame.Add(header[c], values);
        }

        return frame;
    }

    /// <summary>Parses a date the way R prophet's <c>set_date</c> does, or returns null.</summary>
    public static DateTime? ParseDate(string text)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified);
        }

        return null;
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting: "a, b" and doubled quotes inside quotes).</summary>
    private static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        fields.Add(field.ToString());
        return fields.ToArray();
    }

    private static bool IsMissing(string value) => value.Length == 0 || value is "NA" or "NaN" or "nan";

    private static bool IsBoolean(string value) =>
        value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool ParseBoolean(string value) => value.Equals("true", StringComparison.OrdinalIgnoreCase);

    private void CheckColumn(string name, int count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name == "ds")
        {
            throw new ArgumentException("'ds' is the frame's timestamp column; it cannot be replaced.", nameof(name));
        }

        if (count != RowCount)
        {
            throw new ArgumentException(
                $"Column '{name}' has {count} values but the frame has {RowCount} rows.", nameof(name));
        }
    }
}
