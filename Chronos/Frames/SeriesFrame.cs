namespace Forecast.Chronos.Frames;

/// <summary>
/// A long-format table of time series (one row per series and timestamp, as chronos-forecasting's predict_df takes a
/// DataFrame): <c>unique_id</c>, <c>ds</c>, the <c>target</c> (NaN where missing; null for a table of future covariate
/// values) and covariate columns, numeric (NaN where missing) or categorical (strings, null where missing). Rows may
/// come in any order; each series' rows are sorted by timestamp when read.
/// </summary>
public sealed class SeriesFrame
{
    private readonly Dictionary<string, IReadOnlyList<float>> numeric;
    private readonly Dictionary<string, IReadOnlyList<string?>> categorical;

    public SeriesFrame(IReadOnlyList<string> ids, IReadOnlyList<DateTime> timestamps, IReadOnlyList<float>? target = null)
        : this(ids, timestamps, target, new Dictionary<string, IReadOnlyList<float>>(StringComparer.Ordinal),
            new Dictionary<string, IReadOnlyList<string?>>(StringComparer.Ordinal))
    {
    }

    private SeriesFrame(IReadOnlyList<string> ids, IReadOnlyList<DateTime> timestamps, IReadOnlyList<float>? target,
        Dictionary<string, IReadOnlyList<float>> numeric, Dictionary<string, IReadOnlyList<string?>> categorical)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(timestamps);
        if (timestamps.Count != ids.Count)
            throw new SeriesFrameException($"ds has {timestamps.Count} rows but unique_id has {ids.Count}; every column needs one value per row.");
        if (target is not null && target.Count != ids.Count)
            throw new SeriesFrameException($"target has {target.Count} rows but unique_id has {ids.Count}; every column needs one value per row.");
        for (var row = 0; row < ids.Count; row++)
            if (ids[row] is null)
                throw new SeriesFrameException($"unique_id is missing at row {row}.");
        Ids = ids;
        Timestamps = timestamps;
        Target = target;
        this.numeric = numeric;
        this.categorical = categorical;
    }

    public IReadOnlyList<string> Ids { get; }
    public IReadOnlyList<DateTime> Timestamps { get; }

    /// <summary>The values to forecast; null in a table of future covariate values.</summary>
    public IReadOnlyList<float>? Target { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<float>> NumericColumns => numeric;
    public IReadOnlyDictionary<string, IReadOnlyList<string?>> CategoricalColumns => categorical;

    public int RowCount => Ids.Count;

    /// <summary>Covariate column names, numeric then categorical, each set in ordinal order.</summary>
    public IEnumerable<string> ColumnNames => numeric.Keys.Order(StringComparer.Ordinal).Concat(categorical.Keys.Order(StringComparer.Ordinal));

    /// <summary>A copy with one more numeric column (NaN where missing).</summary>
    public SeriesFrame With(string name, IReadOnlyList<float> values)
    {
        CheckNewColumn(name, values.Count);
        return new SeriesFrame(Ids, Timestamps, Target, new(numeric, StringComparer.Ordinal) { [name] = values },
            new(categorical, StringComparer.Ordinal));
    }

    /// <summary>A copy with one more categorical column (null where missing).</summary>
    public SeriesFrame With(string name, IReadOnlyList<string?> values)
    {
        CheckNewColumn(name, values.Count);
        return new SeriesFrame(Ids, Timestamps, Target, new(numeric, StringComparer.Ordinal),
            new(categorical, StringComparer.Ordinal) { [name] = values });
    }

    private void CheckNewColumn(string name, int count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name is "unique_id" or "ds" or "target" || numeric.ContainsKey(name) || categorical.ContainsKey(name))
            throw new SeriesFrameException($"column '{name}' already exists.");
        if (count != RowCount)
            throw new SeriesFrameException($"column '{name}' has {count} rows but the table has {RowCount}.");
    }
}
