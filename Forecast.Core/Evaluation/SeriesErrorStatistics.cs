namespace Forecast.Core.Evaluation;

/// <summary>
/// What every metric of one series is computed from: its error sums pooled over its evaluation windows and its
/// per-forecast metric values (window by window, in <see cref="MetricsCalculator.PerForecastMetrics"/> order). The
/// per-series metrics and, added in series order by <see cref="DatasetScoreAccumulator"/>, the dataset metrics follow
/// from these alone, so runs over disjoint sets of series (the shards of a sharded run) combine exactly.
/// </summary>
public sealed record SeriesErrorStatistics(string SeriesId, ErrorSums Sums, double[] PerForecastValues)
{
    /// <summary>The number of evaluation windows the values cover.</summary>
    public int Windows => PerForecastValues.Length / MetricsCalculator.PerForecastMetrics.Count;

    public void Write(BinaryWriter writer)
    {
        Sums.Write(writer);
        writer.Write(PerForecastValues.Length);
        foreach (double v in PerForecastValues) writer.Write(v);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; <paramref name="template"/> gives the quantile levels.</summary>
    public static SeriesErrorStatistics Read(BinaryReader reader, string seriesId, ErrorSums template)
    {
        var sums = ErrorSums.Read(reader, template);
        int count = reader.ReadInt32();
        if (count < 0 || count > 1 << 20) throw new InvalidDataException($"{count} per-forecast values for series '{seriesId}'.");
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = reader.ReadDouble();
        return new SeriesErrorStatistics(seriesId, sums, values);
    }
}
