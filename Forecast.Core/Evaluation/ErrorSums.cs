using System.Numerics;

namespace Forecast.Core.Evaluation;

/// <summary>
/// Running sums of the errors of one forecast (series × window), from which every metric follows; sums of several
/// forecasts add up for the pooled metrics (WAPE, WQL, coverage), as GluonTS aggregates them over a dataset.
/// Points whose actual is missing (NaN) are skipped.
/// </summary>
public sealed class ErrorSums
{
    public ErrorSums(IReadOnlyList<double> quantileLevels)
        : this(quantileLevels, CentralPairs(quantileLevels)) { }

    /// <summary>Empty sums over the same quantile levels as <paramref name="template"/> (no re-derivation of the intervals).</summary>
    public ErrorSums(ErrorSums template)
        : this(template.QuantileLevels, template.CentralIntervals) { }

    private ErrorSums(IReadOnlyList<double> quantileLevels, IReadOnlyList<(int Lower, int Upper)> centralIntervals)
    {
        QuantileLevels = quantileLevels;
        QuantileLoss = new double[quantileLevels.Count];
        CentralIntervals = centralIntervals;
        Inside = new long[centralIntervals.Count];
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
        // Point metrics in one pass, then one contiguous pass per quantile row and per interval; SIMD
        // (System.Numerics.Vector) with scalar tails. Lanes whose actual is missing (NaN) are masked out.
        long count = 0, percentageCount = 0;
        double absoluteError = 0, squaredError = 0, absoluteActual = 0, symmetric = 0, percentage = 0;
        int h = 0;
        if (Vector.IsHardwareAccelerated && actual.Length >= Vector<double>.Count)
        {
            Vector<double> vAbsoluteError = default, vSquaredError = default, vAbsoluteActual = default, vSymmetric = default, vPercentage = default;
            Vector<long> vCount = default, vPercentageCount = default;
            var zero = Vector<double>.Zero;
            for (; h <= actual.Length - Vector<double>.Count; h += Vector<double>.Count)
            {
                var y = new Vector<double>(actual[h..]);
                var p = new Vector<double>(point[h..]);
                var valid = Vector.Equals(y, y);
                var e = Vector.ConditionalSelect(valid, Vector.Abs(y - p), zero);
                var absY = Vector.ConditionalSelect(valid, Vector.Abs(y), zero);
                var denominator = absY + Vector.Abs(p);
                var hasDenominator = Vector.GreaterThan(denominator, zero);
                var nonZero = Vector.GreaterThan(absY, zero);
                vCount -= valid; // a true lane is all ones, i.e. -1
                vAbsoluteError += e;
                vSquaredError += e * e;
                vAbsoluteActual += absY;
                vSymmetric += Vector.ConditionalSelect(hasDenominator, e / Vector.ConditionalSelect(hasDenominator, denominator, Vector<double>.One), zero);
                vPercentage += Vector.ConditionalSelect(nonZero, e / Vector.ConditionalSelect(nonZero, absY, Vector<double>.One), zero);
                vPercentageCount -= nonZero;
            }
            count = Vector.Sum(vCount);
            percentageCount = Vector.Sum(vPercentageCount);
            absoluteError = Vector.Sum(vAbsoluteError);
            squaredError = Vector.Sum(vSquaredError);
            absoluteActual = Vector.Sum(vAbsoluteActual);
            symmetric = 200 * Vector.Sum(vSymmetric);
            percentage = 100 * Vector.Sum(vPercentage);
        }
        for (; h < actual.Length; h++)
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
            QuantileLoss[q] += 2 * PinballLoss(actual, quantiles[q].AsSpan(0, actual.Length), QuantileLevels[q]);
        for (int c = 0; c < Inside.Length; c++)
        {
            var (lower, upper) = CentralIntervals[c];
            Inside[c] += CountInside(actual, quantiles[lower].AsSpan(0, actual.Length), quantiles[upper].AsSpan(0, actual.Length));
        }
    }

    /// <summary>
    /// Σ_h |(y - ŷ_q)(1{y ≤ ŷ_q} - q)| = Σ_h max(q·d, (q-1)·d) with d = y - ŷ_q, over the non-missing y; SIMD
    /// (System.Numerics.Vector) with a scalar tail. Missing actuals (NaN) contribute 0. The one pinball loss of the
    /// solution: the evaluation's <see cref="QuantileLoss"/> and the Trainer's backtest WQL both sum it.
    /// </summary>
    public static double PinballLoss(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, double level)
    {
        double loss = 0;
        int h = 0;
        if (Vector.IsHardwareAccelerated && actual.Length >= Vector<double>.Count)
        {
            var sum = Vector<double>.Zero;
            var above = new Vector<double>(level);
            var below = new Vector<double>(level - 1);
            for (; h <= actual.Length - Vector<double>.Count; h += Vector<double>.Count)
            {
                var y = new Vector<double>(actual[h..]);
                var d = y - new Vector<double>(forecast[h..]);
                var pinball = Vector.Max(above * d, below * d);
                sum += Vector.ConditionalSelect(Vector.Equals(y, y), pinball, Vector<double>.Zero); // y == y is false for NaN
            }
            loss = Vector.Sum(sum);
        }
        for (; h < actual.Length; h++)
        {
            double y = actual[h];
            if (double.IsNaN(y)) continue;
            double d = y - forecast[h];
            loss += d < 0 ? (level - 1) * d : level * d;
        }
        return loss;
    }

    /// <summary>How many actuals lie in [lower, upper] (NaN never does); SIMD with a scalar tail.</summary>
    private static long CountInside(ReadOnlySpan<double> actual, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        long inside = 0;
        int h = 0;
        if (Vector.IsHardwareAccelerated && actual.Length >= Vector<double>.Count)
        {
            var count = Vector<long>.Zero;
            for (; h <= actual.Length - Vector<double>.Count; h += Vector<double>.Count)
            {
                var y = new Vector<double>(actual[h..]);
                var within = Vector.GreaterThanOrEqual(y, new Vector<double>(lower[h..])) & Vector.LessThanOrEqual(y, new Vector<double>(upper[h..]));
                count -= within; // a true lane is all ones, i.e. -1
            }
            inside = Vector.Sum(count);
        }
        for (; h < actual.Length; h++)
            if (actual[h] >= lower[h] && actual[h] <= upper[h]) inside++;
        return inside;
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

    /// <summary>The sums in binary (little-endian), as <see cref="Read"/> takes them back; the levels are the reader's.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(AbsoluteError);
        writer.Write(SquaredError);
        writer.Write(AbsoluteActual);
        writer.Write(SymmetricPercentageError);
        writer.Write(AbsolutePercentageError);
        writer.Write(PercentageCount);
        writer.Write(QuantileLoss.Length);
        foreach (double loss in QuantileLoss) writer.Write(loss);
        writer.Write(Inside.Length);
        foreach (long inside in Inside) writer.Write(inside);
    }

    /// <summary>Sums written by <see cref="Write"/>, over the quantile levels of <paramref name="template"/>.</summary>
    /// <exception cref="InvalidDataException">They were written for another number of quantile levels.</exception>
    public static ErrorSums Read(BinaryReader reader, ErrorSums template)
    {
        var sums = new ErrorSums(template)
        {
            Count = reader.ReadInt64(),
            AbsoluteError = reader.ReadDouble(),
            SquaredError = reader.ReadDouble(),
            AbsoluteActual = reader.ReadDouble(),
            SymmetricPercentageError = reader.ReadDouble(),
            AbsolutePercentageError = reader.ReadDouble(),
            PercentageCount = reader.ReadInt64(),
        };
        if (reader.ReadInt32() != sums.QuantileLoss.Length)
            throw new InvalidDataException($"Error sums written for another number of quantile levels than {sums.QuantileLoss.Length}.");
        for (int q = 0; q < sums.QuantileLoss.Length; q++) sums.QuantileLoss[q] = reader.ReadDouble();
        if (reader.ReadInt32() != sums.Inside.Length)
            throw new InvalidDataException($"Error sums written for another number of central intervals than {sums.Inside.Length}.");
        for (int c = 0; c < sums.Inside.Length; c++) sums.Inside[c] = reader.ReadInt64();
        return sums;
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
