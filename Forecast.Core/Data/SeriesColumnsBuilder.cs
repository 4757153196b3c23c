using System.Text;
using Forecast.Core.Series;

namespace Forecast.Core.Data;

/// <summary>
/// Collects rows of the long format as columns (series index, UTC ticks, target, covariates) and turns them into
/// one <see cref="TimeSeries"/> per id, sorted by id (ordinal) then time. Rows of one id at the same time stay in
/// file order, so cleaning's "last" duplicate policy keeps the row that came last in the file.
/// </summary>
internal sealed class SeriesColumnsBuilder : ISeriesRowSink
{
    private readonly Dictionary<string, int> _idIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idLookup;
    private readonly List<string> _ids = [];
    private readonly ColumnBuffer<int> _series = new(1 << 16);
    private readonly ColumnBuffer<long> _ticks = new(1 << 16);
    private readonly ColumnBuffer<double> _values = new(1 << 16);
    private readonly ColumnBuffer<double>[] _covariates;
    private readonly string[] _covariateNames;
    private byte[] _lastIdUtf8 = [];
    private int _lastId = -1;
    private char[] _chars = new char[256];

    public SeriesColumnsBuilder(IReadOnlyList<string> covariateNames)
    {
        _idLookup = _idIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        _covariateNames = [.. covariateNames];
        _covariates = [.. covariateNames.Select(_ => new ColumnBuffer<double>(1 << 16))];
    }

    public long RowCount => _ticks.Count;

    /// <summary>The index of a UTF-8 id; consecutive rows of one id (the usual layout) skip the dictionary.</summary>
    public int IdIndex(ReadOnlySpan<byte> utf8)
    {
        if (_lastId >= 0 && utf8.SequenceEqual(_lastIdUtf8)) return _lastId;
        int needed = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (_chars.Length < needed) _chars = new char[needed];
        int n = Encoding.UTF8.GetChars(utf8, _chars);
        _lastId = IdIndex(_chars.AsSpan(0, n));
        _lastIdUtf8 = utf8.ToArray();
        return _lastId;
    }

    public int IdIndex(ReadOnlySpan<char> id)
    {
        if (_idLookup.TryGetValue(id, out int index)) return index;
        string s = id.ToString();
        index = _ids.Count;
        _ids.Add(s);
        _idIndex.Add(s, index);
        return index;
    }

    public void Add(int series, long utcTicks, double value)
    {
        _series.Add(series);
        _ticks.Add(utcTicks);
        _values.Add(value);
    }

    /// <summary>Appends the covariate <paramref name="covariate"/> of the row just added.</summary>
    public void AddCovariate(int covariate, double value) => _covariates[covariate].Add(value);

    public ValueTask RowsCompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public IReadOnlyList<TimeSeries> Build()
    {
        int seriesCount = _ids.Count;
        var rowSeries = _series.Span;
        var counts = new int[seriesCount];
        foreach (int s in rowSeries) counts[s]++;

        var ticks = new long[seriesCount][];
        var values = new double[seriesCount][];
        var covariates = new double[seriesCount][][];
        for (int s = 0; s < seriesCount; s++)
        {
            ticks[s] = new long[counts[s]];
            values[s] = new double[counts[s]];
            covariates[s] = new double[_covariateNames.Length][];
            for (int c = 0; c < _covariateNames.Length; c++) covariates[s][c] = new double[counts[s]];
        }

        // Scatter the rows to their series in file order (a counting sort by series, stable).
        var fill = new int[seriesCount];
        var allTicks = _ticks.Span;
        var allValues = _values.Span;
        for (int row = 0; row < rowSeries.Length; row++)
        {
            int s = rowSeries[row];
            int at = fill[s]++;
            ticks[s][at] = allTicks[row];
            values[s][at] = allValues[row];
        }
        for (int c = 0; c < _covariateNames.Length; c++)
        {
            Array.Clear(fill);
            var column = _covariates[c].Span;
            for (int row = 0; row < rowSeries.Length; row++)
            {
                int s = rowSeries[row];
                covariates[s][c][fill[s]++] = column[row];
            }
        }

        var order = Enumerable.Range(0, seriesCount).ToArray();
        Array.Sort(order, (a, b) => string.CompareOrdinal(_ids[a], _ids[b]));
        var result = new TimeSeries[seriesCount];
        for (int i = 0; i < seriesCount; i++)
        {
            int s = order[i];
            SortByTimeStable(ticks[s], values[s], covariates[s]);
            var timestamps = new DateTime[ticks[s].Length];
            for (int j = 0; j < timestamps.Length; j++) timestamps[j] = new DateTime(ticks[s][j], DateTimeKind.Utc);
            var covariateColumns = new Dictionary<string, double[]>(_covariateNames.Length, StringComparer.Ordinal);
            for (int c = 0; c < _covariateNames.Length; c++) covariateColumns[_covariateNames[c]] = covariates[s][c];
            result[i] = new TimeSeries(_ids[s], timestamps, values[s]) { Covariates = covariateColumns };
            ticks[s] = [];
        }
        return result;
    }

    /// <summary>Most files are already in time order per series; only the others pay for a sort (ties keep file order).</summary>
    private static void SortByTimeStable(long[] ticks, double[] values, double[][] covariates)
    {
        bool sorted = true;
        for (int i = 1; i < ticks.Length && sorted; i++) sorted = ticks[i - 1] <= ticks[i];
        if (sorted) return;

        var index = Enumerable.Range(0, ticks.Length).ToArray();
        Array.Sort(index, (a, b) => ticks[a] != ticks[b] ? ticks[a].CompareTo(ticks[b]) : a.CompareTo(b));
        Permute(ticks, index);
        Permute(values, index);
        foreach (var column in covariates) Permute(column, index);
    }

    private static void Permute<T>(T[] items, int[] index)
    {
        var copy = (T[])items.Clone();
        for (int i = 0; i < index.Length; i++) items[i] = copy[index[i]];
    }
}
