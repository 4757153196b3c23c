using System.Globalization;

namespace Forecast.Prophet;

/// <summary>
/// The frame <see cref="Prophet.Predict"/> returns: ds plus named columns in R prophet's order (ds, trend, [cap],
/// [floor], each component with _lower/_upper, yhat_lower, yhat_upper, trend_lower, trend_upper, yhat).
/// </summary>
public sealed class ProphetForecast
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, double[]> _columns = new(StringComparer.Ordinal);

    internal ProphetForecast(DateTime[] ds)
    {
        Ds = ds;
    }

    public DateTime[] Ds { get; }

    public int RowCount => Ds.Length;

    public IReadOnlyList<string> ColumnNames => _order;

    public double[] this[string column] => _columns.TryGetValue(column, out var values)
        ? values
        : throw new KeyNotFoundException($"The forecast has no column '{column}'. Columns: {string.Join(", ", _order)}.");

    public bool HasColumn(string column) => _columns.ContainsKey(column);

    public double[] Trend => this["trend"];

    public double[] Yhat => this["yhat"];

    public double[]? YhatLower => _columns.GetValueOrDefault("yhat_lower");

    public double[]? YhatUpper => _columns.GetValueOrDefault("yhat_upper");

    internal void Add(string name, double[] values)
    {
        if (!_columns.ContainsKey(name))
        {
            _order.Add(name);
        }

        _columns[name] = values;
    }

    /// <summary>Writes the frame as CSV (ds as "yyyy-MM-dd HH:mm:ss", numbers round-trip).</summary>
    public void WriteCsv(TextWriter writer)
    {
        writer.Write("ds");
        foreach (var name in _order)
        {
            writer.Write(',');
            writer.Write(name.Contains(',') ? $"\"{name}\"" : name);
        }

        writer.WriteLine();
        for (var i = 0; i < RowCount; i++)
        {
            writer.Write(Ds[i].ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            foreach (var name in _order)
            {
                writer.Write(',');
                writer.Write(_columns[name][i].ToString("R", CultureInfo.InvariantCulture));
            }

            writer.WriteLine();
        }
    }
}
