using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>
/// Samples (context, future) training windows from the user's series as train.py's pipeline does (GluonTS
/// InstanceSplitter with ExpectedNumInstanceSampler: a uniform split point with at least min_past values before it and
/// prediction_length after it, past left-padded with NaN to context_length), and builds the validation windows from
/// each series' held-out last prediction_length values.
/// </summary>
public sealed class TrainingWindowSampler
{
    private readonly IReadOnlyList<float[]> training;
    private readonly IReadOnlyList<float[]> all;
    private readonly int contextLength;
    private readonly int predictionLength;
    private readonly int minPast;
    private readonly double dropProbability;
    private readonly Random random;

    /// <param name="series">The user's series; the last <paramref name="predictionLength"/> values of each are held out when <paramref name="holdOut"/>.</param>
    public TrainingWindowSampler(IReadOnlyList<float[]> series, int contextLength, int predictionLength, int minPast,
        double dropProbability, bool holdOut, int seed)
    {
        this.contextLength = contextLength;
        this.predictionLength = predictionLength;
        this.minPast = minPast;
        this.dropProbability = dropProbability;
        random = new Random(seed);
        all = series;
        var needed = minPast + predictionLength + (holdOut ? predictionLength : 0);
        training = series.Where(s => s.Length >= needed).Select(s => holdOut ? s[..^predictionLength] : s).ToList();
        if (training.Count == 0)
            throw new ArgumentException(
                $"No series has the {needed} values fine-tuning needs (min_past {minPast} + prediction_length {predictionLength}"
                + (holdOut ? $" + {predictionLength} held out for validation" : "") + ").", nameof(series));
    }

    /// <summary>A random batch: context (B, context_length), future (B, prediction_length), NaN where missing.</summary>
    public (Tensor Context, Tensor Future) Sample(int batchSize)
    {
        var context = new float[batchSize * contextLength];
        var future = new float[batchSize * predictionLength];
        Array.Fill(context, float.NaN);
        for (var row = 0; row < batchSize; row++)
        {
            float[] series;
            int split;
            do
            {
                series = training[random.Next(training.Count)];
                split = random.Next(minPast, series.Length - predictionLength + 1);
            }
            while (AllMissing(series, Math.Max(0, split - contextLength), split));
            var start = Math.Max(0, split - contextLength);
            series.AsSpan(start, split - start).CopyTo(context.AsSpan(row * contextLength + contextLength - (split - start)));
            series.AsSpan(split, predictionLength).CopyTo(future.AsSpan(row * predictionLength));
            if (dropProbability > 0)
                DropValues(context.AsSpan(row * contextLength, contextLength));
        }
        return (tensor(context, [batchSize, contextLength]), tensor(future, [batchSize, predictionLength]));
    }

    /// <summary>One window per series: the held-out last prediction_length values and the context before them.</summary>
    public (Tensor Context, Tensor Future) ValidationWindows()
    {
        var usable = all.Where(s => s.Length >= predictionLength + 1).ToList();
        var context = new float[usable.Count * contextLength];
        var future = new float[usable.Count * predictionLength];
        Array.Fill(context, float.NaN);
        for (var row = 0; row < usable.Count; row++)
        {
            var series = usable[row];
            var split = series.Length - predictionLength;
            var start = Math.Max(0, split - contextLength);
            series.AsSpan(start, split - start).CopyTo(context.AsSpan(row * contextLength + contextLength - (split - start)));
            series.AsSpan(split).CopyTo(future.AsSpan(row * predictionLength));
        }
        return (tensor(context, [usable.Count, contextLength]), tensor(future, [usable.Count, predictionLength]));
    }

    /// <summary>train.py: drop_p ~ U(0, drop_prob), then each value becomes NaN with probability drop_p.</summary>
    private void DropValues(Span<float> values)
    {
        var p = random.NextDouble() * dropProbability;
        for (var i = 0; i < values.Length; i++)
            if (random.NextDouble() < p)
                values[i] = float.NaN;
    }

    private static bool AllMissing(float[] series, int start, int end)
    {
        for (var i = start; i < end; i++)
            if (!float.IsNaN(series[i]))
                return false;
        return true;
    }
}
