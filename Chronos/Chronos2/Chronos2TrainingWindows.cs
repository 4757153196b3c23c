using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Training and validation windows of whole tasks (chronos2/dataset.py: Chronos2Dataset, TRAIN and VALIDATION
/// modes). A task's rows are its targets, past-only covariates, then the covariates known in the future
/// (preprocess.py order). Training: tasks drawn at random until the batch holds at least <c>batchSize</c> rows, each
/// cut at a random point in [min_past, length − H]; validation: every task cut H before its end. The future of
/// known-future covariate rows is given to the model (and excluded from the loss); covariate rows have no target.
/// </summary>
public sealed class Chronos2TrainingWindows
{
    private readonly List<(float[][] Rows, int Targets, int KnownFuture)> tasks;
    private readonly int contextLength;
    private readonly int predictionLength;
    private readonly int minPast;
    private readonly Random random;

    /// <param name="knownFutureCovariates">Past covariates whose future values are known at forecast time.</param>
    public Chronos2TrainingWindows(IReadOnlyList<Chronos2Input> inputs, int contextLength, int predictionLength, int minPast,
        IReadOnlyCollection<string>? knownFutureCovariates, int seed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(predictionLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPast, 1);
        this.contextLength = contextLength;
        this.predictionLength = predictionLength;
        this.minPast = minPast;
        random = new Random(seed);
        var known = knownFutureCovariates ?? [];
        // Categorical covariates become numeric ones as for prediction (training windows have no future values).
        inputs = CategoricalCovariates.Encode(inputs, allowUnseen: true);
        tasks = [];
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (input.Target.Count == 0 || input.Target.Any(t => t.Length != input.HistoryLength)
                || input.PastCovariates.Values.Any(c => c.Length != input.HistoryLength))
                throw new ArgumentException(
                    $"inputs[{i}]: every target variate and past covariate must have the same length ({input.HistoryLength}).", nameof(inputs));
            var missing = known.Where(name => !input.PastCovariates.ContainsKey(name)).ToList();
            if (missing.Count > 0)
                throw new ArgumentException(
                    $"inputs[{i}] has no past covariate named {string.Join(", ", missing)} listed in knownFutureCovariates.", nameof(inputs));
            if (input.HistoryLength < minPast + predictionLength)
                continue;   // dataset.py filters series shorter than min_past + prediction_length
            var names = input.PastCovariates.Keys.Order(StringComparer.Ordinal).ToList();
            var rows = input.Target
                .Concat(names.Where(n => !known.Contains(n)).Select(n => input.PastCovariates[n]))
                .Concat(names.Where(known.Contains).Select(n => input.PastCovariates[n]))
                .ToArray();
            tasks.Add((rows, input.Target.Count, names.Count(known.Contains)));
        }
        if (tasks.Count == 0)
            throw new ArgumentException(
                $"No task is long enough: training needs at least min_past + prediction_length = {minPast + predictionLength} values.",
                nameof(inputs));
    }

    public int TaskCount => tasks.Count;

    /// <summary>dataset.py: _generate_train_batches — random tasks until ≥ batchSize rows, random cut points.</summary>
    public Chronos2TrainingBatch Sample(int batchSize)
    {
        var chosen = new List<(int Task, int Cut)>();
        var rows = 0;
        while (rows < batchSize)
        {
            var index = random.Next(tasks.Count);
            var length = tasks[index].Rows[0].Length;
            chosen.Add((index, random.Next(minPast, length - predictionLength + 1)));
            rows += tasks[index].Rows.Length;
        }
        return Build(chosen);
    }

    /// <summary>dataset.py: VALIDATION mode — every task's last window, in batches of about batchSize rows.</summary>
    public IEnumerable<Chronos2TrainingBatch> ValidationBatches(int batchSize)
    {
        var chosen = new List<(int, int)>();
        var rows = 0;
        for (var index = 0; index < tasks.Count; index++)
        {
            chosen.Add((index, tasks[index].Rows[0].Length - predictionLength));
            rows += tasks[index].Rows.Length;
            if (rows >= batchSize)
            {
                yield return Build(chosen);
                chosen = [];
                rows = 0;
            }
        }
        if (chosen.Count > 0)
            yield return Build(chosen);
    }

    private Chronos2TrainingBatch Build(IReadOnlyList<(int Task, int Cut)> chosen)
    {
        var rowCount = chosen.Sum(c => tasks[c.Task].Rows.Length);
        var width = chosen.Max(c => Math.Min(c.Cut, contextLength));
        var context = new float[rowCount * width];
        var target = new float[rowCount * predictionLength];
        var future = new float[rowCount * predictionLength];
        Array.Fill(context, float.NaN);
        Array.Fill(target, float.NaN);
        Array.Fill(future, float.NaN);
        var groups = new long[rowCount];
        var row = 0;
        for (var group = 0; group < chosen.Count; group++)
        {
            var (taskIndex, cut) = chosen[group];
            var (rows, targets, knownFuture) = tasks[taskIndex];
            var start = Math.Max(0, cut - contextLength);
            for (var r = 0; r < rows.Length; r++, row++)
            {
                var kept = cut - start;
                rows[r].AsSpan(start, kept).CopyTo(context.AsSpan(row * width + width - kept));
                var next = rows[r].AsSpan(cut, predictionLength);
                if (r < targets)
                    next.CopyTo(target.AsSpan(row * predictionLength));
                if (r >= rows.Length - knownFuture)
                    next.CopyTo(future.AsSpan(row * predictionLength));
                groups[row] = group;
            }
        }
        return new Chronos2TrainingBatch(tensor(context, [rowCount, width]), tensor(target, [rowCount, predictionLength]),
            tensor(future, [rowCount, predictionLength]), tensor(groups));
    }
}
