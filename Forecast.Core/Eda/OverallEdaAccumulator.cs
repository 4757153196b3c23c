using Forecast.Core.Data;
using Forecast.Core.Series;

namespace Forecast.Core.Eda;

/// <summary>
/// The statistics over all series of eda.yaml (<see cref="OverallEda"/>), built up series by series. Means of
/// strengths are floating-point sums, so series are added in the run's series order (ordinal by id); then one process
/// and the merge of a sharded run (which streams the shards' series in that order) write the same numbers.
/// </summary>
public sealed class OverallEdaAccumulator
{
    private int _series;
    private long _total, _missing;
    private int _minLength = int.MaxValue, _maxLength = int.MinValue;
    private long _start = long.MaxValue, _end = long.MinValue;
    private double _trendSum, _seasonalSum;
    private int _trendCount, _seasonalCount;
    private readonly Dictionary<string, int> _frequencies = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _seasonLengths = [];

    /// <summary>Adds one explored series (its values give the missing count and the time span).</summary>
    public void Add(SeriesEda report, TimeSeries series) =>
        Add(report, series.Values.Count(double.IsNaN), series.Length > 0 ? series.Timestamps[0] : null, series.Length > 0 ? series.Timestamps[^1] : null);

    /// <summary>Adds one series: its EDA entry, how many of its values are missing, and its first and last timestamps (when it has any).</summary>
    public void Add(SeriesEda series, int missing, DateTime? first, DateTime? last)
    {
        _series++;
        _total += series.Length;
        _missing += missing;
        _minLength = Math.Min(_minLength, series.Length);
        _maxLength = Math.Max(_maxLength, series.Length);
        if (first is { } start) _start = Math.Min(_start, start.Ticks);
        if (last is { } end) _end = Math.Max(_end, end.Ticks);
        _frequencies[series.Frequency] = _frequencies.GetValueOrDefault(series.Frequency) + 1;
        if (series.TrendStrength is { } trend) { _trendSum += trend; _trendCount++; }
        if (series.SeasonalStrength is { } seasonal) { _seasonalSum += seasonal; _seasonalCount++; }
        foreach (int length in series.DetectedSeasonLengths) _seasonLengths[length] = _seasonLengths.GetValueOrDefault(length) + 1;
    }

    public OverallEda Result()
    {
        if (_series == 0) return new OverallEda();
        return new OverallEda
        {
            SeriesCount = _series,
            TotalLength = _total,
            MinLength = _minLength,
            MaxLength = _maxLength,
            MeanLength = (double)_total / _series,
            Start = _start == long.MaxValue ? "" : TimestampParser.Format(new DateTime(_start, DateTimeKind.Utc)),
            End = _end == long.MinValue ? "" : TimestampParser.Format(new DateTime(_end, DateTimeKind.Utc)),
            Frequencies = _frequencies.OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => f.Value),
            MissingShare = _total > 0 ? (double)_missing / _total : 0,
            MeanTrendStrength = _trendCount > 0 ? _trendSum / _trendCount : null,
            MeanSeasonalStrength = _seasonalCount > 0 ? _seasonalSum / _seasonalCount : null,
            DetectedSeasonLengths = _seasonLengths.OrderByDescending(l => l.Value).ThenBy(l => l.Key).ToDictionary(l => l.Key, l => l.Value),
        };
    }
}
