namespace Forecast.Core.Evaluation;

/// <summary>
/// Running sums of the errors of one forecast (series × window), from which every metric follows; sums of several
/// forecasts add up for the pooled metrics (WAPE, WQL, coverage), as GluonTS aggregates them over a dataset.
/// Points whose actual is missing (NaN) are skipped.
/// </summary>
public sealed class ErrorSums
{
    public ErrorSums(IReadOnlyList<double> quantileLevels)
    {
        QuantileLevels = quantileLevels;
        QuantileLoss = new double[quantileLevels.Count];
        CentralIntervals = CentralPairs(quantileLevels);
        Inside = new long[CentralIntervals.Count];
    }

    public IReadOnlyList<double> QuantileLevels { get; }

    /// <summary>Index pairs (lower, upper) of quantile levels q and 1-q, q &lt; 0.5, outermost first.</summary>
    public IReadOnlyList<(int Lower, int Upper)> CentralIntervals { get; }

    public long Count { get; private set; }
    public double AbsoluteError { get; private set; }
    public double SquaredError { get; private set; }
    public double AbsoluteActual { get; private set; }
    public double SymmetricPercentageError { get; private set; }
    public double AbsolutePercentageError { get; private set; }
    public long PercentageCount { get; private set; }

    /// <summary>Σ 2 |(y - ŷ_q)(1{y ≤ ŷ_q} - q)| per quantile level.</summary>
    public double[] QuantileLoss { get; }

    /// <summary>Actuals inside each central interval of <see cref="CentralIntervals"/>.</summary>
    public long[] Inside { get; }

    /// <summary>Adds the points of one forecast: actuals y, point forecast ŷ, and quantiles[q][h].</summary>
    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> point, IReadOnlyList<double[]> quantiles)
    {
        // Point metrics in one pass; then one contiguous pass per quantile row and per interval (no per-point
        // indirection through the quantile list, which dominated the time in bench/Metrics).
        long count = 0, percentageCount = 0;
        double absoluteError = 0, squaredError = 0, absoluteActual = 0, symmetric = 0, percentage = 0;
        for (int h = 0; h < actual.Length; h++)
        {
            double y = actual[h];
            if (double.IsNaN(y)) continue;
            double e = Math.Abs(y - point[h]);
            count++;
            absoluteError += e;
            squaredError += e * e;
            double absY = Math.Abs(y);
            absoluteActual += absY;
            double denominator = absY + Math.Abs(point[h]);
            symmetric += denominator == 0 ? 0 : 200 * e / denominator; // M4 sMAPE, 0/0 := 0
            if (y != 0)
            {
                percentage += 100 * e / absY;
                percentageCount++;
            }
        }
        Count += count;
        AbsoluteError += absoluteError;
        SquaredError += squaredError;
        AbsoluteActual += absoluteActual;
        SymmetricPercentageError += symmetric;
        AbsolutePercentageError += percentage;
        PercentageCount += percentageCount;

        for (int q = 0; q < QuantileLoss.Length; q++)
        {
            ReadOnlySpan<double> forecast = quantiles[q].AsSpan(0, actual.Length);
            double level = QuantileLevels[q], loss = 0;
            for (int h = 0; h < actual.Length; h++)
            {
                double y = actual[h];
                if (double.IsNaN(y)) continue;
                double d = y - forecast[h];
                loss += d < 0 ? (level - 1) * d : level * d; // |(y - ŷ_q)(1{y <= ŷ_q} - q)|, with y = ŷ_q contributing 0
            }
            QuantileLoss[q] += 2 * loss;
        }
        for (int c = 0; c < Inside.Length; c++)
        {
            var (lowerIndex, upperIndex) = CentralIntervals[c];
            ReadOnlySpan<double> lower = quantiles[lowerIndex].AsSpan(0, actual.Length), upper = quantiles[upperIndex].AsSpan(0, actual.Length);
            long inside = 0;
            for (int h = 0; h < actual.Length; h++)
            {
                double y = actual[h];
                if (y >= lower[h] && y <= upper[h]) inside++; // false for NaN
            }
            Inside[c] += inside;
        }
    }

    /// <summary>Clears the sums so the object can score another forecast without allocating.</summary>
    public void Reset()
    {
        Count = PercentageCount = 0;
        AbsoluteError = SquaredError = AbsoluteActual = SymmetricPercentageError = AbsolutePercentageError = 0;
        Array.Clear(QuantileLoss);
        Array.Clear(Inside);
    }

    public void Add(ErrorSums other)
    {
        Count += other.Count;
        AbsoluteError += other.AbsoluteError;
        SquaredError += other.SquaredError;
        AbsoluteActual += other.AbsoluteActual;
        SymmetricPercentageError += other.SymmetricPercentageError;
        AbsolutePercentageError += other.AbsolutePercentageError;
        PercentageCount += other.PercentageCount;
        for (int q = 0; q < QuantileLoss.Length; q++) QuantileLoss[q] += other.QuantileLoss[q];
        for (int c = 0; c < Inside.Length; c++) Inside[c] += other.Inside[c];
    }

    public double MeanAbsoluteError => Count == 0 ? double.NaN : AbsoluteError / Count;
    public double RootMeanSquaredError => Count == 0 ? double.NaN : Math.Sqrt(SquaredError / Count);
    public double MeanAbsolutePercentageError => PercentageCount == 0 ? double.NaN : AbsolutePercentageError / PercentageCount;
    public double SymmetricMeanAbsolutePercentageError => Count == 0 ? double.NaN : SymmetricPercentageError / Count;
    public double WeightedAbsolutePercentageError => AbsoluteActual == 0 ? double.NaN : AbsoluteError / AbsoluteActual;

    /// <summary>GluonTS <c>MeanWeightedSumQuantileLoss</c>: mean over levels of Σ quantile loss / Σ |y|.</summary>
    public double WeightedQuantileLoss =>
        AbsoluteActual == 0 || QuantileLoss.Length == 0 ? double.NaN : QuantileLoss.Average() / AbsoluteActual;

    public double CoverageOf(int interval) => Count == 0 ? double.NaN : (double)Inside[interval] / Count;

    private static List<(int, int)> CentralPairs(IReadOnlyList<double> levels)
    {
        var pairs = new List<(int, int)>();
        for (int i = 0; i < levels.Count; i++)
        {
            if (levels[i] >= 0.5) continue;
            for (int j = levels.Count - 1; j > i; j--)
            {
                if (Math.Abs(levels[j] - (1 - levels[i])) < 1e-9) { pairs.Add((i, j)); break; }
            }
        }
        return pairs;
    }
}
