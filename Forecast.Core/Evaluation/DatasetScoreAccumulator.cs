namespace Forecast.Core.Evaluation;

/// <summary>
/// The dataset metrics of one model, built up series by series from their <see cref="SeriesErrorStatistics"/>: pooled
/// error sums (WAPE, WQL, coverage) and means over forecasts (MAE, RMSE, MAPE, sMAPE, MASE). Floating-point sums
/// depend on their order, so series must be added in the run's series order (ordinal by id); then the result is the
/// same bit for bit whether the series were scored in one process or in shards (<see cref="MetricsCalculator"/> and
/// the merge of a sharded run both reduce through this class).
/// </summary>
public sealed class DatasetScoreAccumulator
{
    private readonly IReadOnlyList<string> _metrics;
    private readonly ErrorSums _sums;
    private readonly string[] _coverageNames;
    private readonly MeanOfFinite[] _means;

    public DatasetScoreAccumulator(IReadOnlyList<double> quantileLevels, IReadOnlyList<string> metrics)
    {
        _metrics = metrics;
        _sums = new ErrorSums(quantileLevels);
        _coverageNames = [.. _sums.CentralIntervals.Select(c => MetricNames.CoverageOf(quantileLevels[c.Lower]))];
        _means = NewMeans();
    }

    /// <summary>Empty sums over this run's quantile levels, for reading statistics back.</summary>
    public ErrorSums Template => new(_sums);

    public int Series { get; private set; }

    public void Add(SeriesErrorStatistics series)
    {
        _sums.Add(series.Sums);
        var values = series.PerForecastValues;
        for (int j = 0; j < values.Length; j++) _means[j % _means.Length].Add(values[j]);
        Series++;
    }

    /// <summary>The metrics of one series over its windows (means of its per-forecast values, its pooled sums).</summary>
    public Dictionary<string, double> SeriesMetrics(SeriesErrorStatistics series)
    {
        var means = NewMeans();
        var values = series.PerForecastValues;
        for (int j = 0; j < values.Length; j++) means[j % means.Length].Add(values[j]);
        return Select(means, series.Sums);
    }

    public DatasetScore Result(string dataset, string model, int windows) =>
        new(dataset, model, Series, windows, Select(_means, _sums));

    private static MeanOfFinite[] NewMeans()
    {
        var means = new MeanOfFinite[MetricsCalculator.PerForecastMetrics.Count];
        for (int k = 0; k < means.Length; k++) means[k] = new MeanOfFinite();
        return means;
    }

    private Dictionary<string, double> Select(MeanOfFinite[] means, ErrorSums pooled)
    {
        var result = new Dictionary<string, double>(_metrics.Count + _coverageNames.Length);
        foreach (string metric in _metrics)
        {
            int k = IndexOf(MetricsCalculator.PerForecastMetrics, metric);
            if (k >= 0) { result[metric] = means[k].Value; continue; }
            switch (metric)
            {
                case MetricNames.Wape: result[metric] = pooled.WeightedAbsolutePercentageError; break;
                case MetricNames.Wql: result[metric] = pooled.WeightedQuantileLoss; break;
                case MetricNames.Coverage:
                    for (int c = 0; c < pooled.CentralIntervals.Count; c++)
                        result[_coverageNames[c]] = pooled.CoverageOf(c);
                    break;
                default: throw new ArgumentException($"Unknown metric '{metric}'; known metrics: {string.Join(", ", MetricNames.All)}.", nameof(metric));
            }
        }
        return result;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    /// <summary>Mean of the finite values added; NaN when there are none.</summary>
    private sealed class MeanOfFinite
    {
        private double _sum;
        private int _count;

        public void Add(double value)
        {
            if (!double.IsFinite(value)) return;
            _sum += value;
            _count++;
        }

        public double Value => _count == 0 ? double.NaN : _sum / _count;
    }
}
