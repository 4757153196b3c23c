using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Turns tasks into model batches as the reference's test dataset does (chronos2/preprocess.py:
/// _build_prepared_inputs; dataset.py: Chronos2Dataset in TEST mode): rows are the targets, then past-only
/// covariates, then known-future covariates (each set in ordinal name order); histories are cut to the last
/// <c>contextLength</c> values; tasks are added to a batch while it holds fewer than <c>batchSize</c> rows. Checks
/// the schema and values and names the task, the covariate and the position of what is wrong; categorical covariates
/// are encoded over all tasks at once (<see cref="CategoricalCovariates"/>).
/// </summary>
public static class Chronos2Batcher
{
    public static IEnumerable<Chronos2Batch> Batches(IReadOnlyList<Chronos2Input> inputs, int predictionLength, int contextLength, int batchSize,
        bool allowUnseenCategories = false)
    {
        Validate(inputs, predictionLength);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        return BatchesOf(CategoricalCovariates.Encode(inputs, allowUnseenCategories), predictionLength, contextLength, batchSize);
    }

    private static IEnumerable<Chronos2Batch> BatchesOf(IReadOnlyList<Chronos2Input> inputs, int predictionLength, int contextLength, int batchSize)
    {
        var next = 0;
        while (next < inputs.Count)
        {
            var tasks = new List<Chronos2Input>();
            var rows = 0;
            while (next < inputs.Count && rows < batchSize)
            {
                tasks.Add(inputs[next]);
                rows += RowCount(inputs[next]);
                next++;
            }
            yield return Build(tasks, predictionLength, contextLength);
        }
    }

    private static int RowCount(Chronos2Input input) => input.RowCount;

    private static Chronos2Batch Build(IReadOnlyList<Chronos2Input> tasks, int predictionLength, int contextLength)
    {
        var rowCount = tasks.Sum(RowCount);
        var length = tasks.Max(t => Math.Min(t.HistoryLength, contextLength));
        var context = new float[rowCount * length];
        var future = new float[rowCount * predictionLength];
        Array.Fill(context, float.NaN);
        Array.Fill(future, float.NaN);
        var groupIds = new long[rowCount];
        var ranges = new List<(int, int)>();
        var row = 0;
        for (var group = 0; group < tasks.Count; group++)
        {
            var task = tasks[group];
            var start = row;
            foreach (var (values, futureValues) in OrderedRows(task))
            {
                var kept = Math.Min(values.Length, contextLength);
                // Left padding: the last `kept` values end at the right edge.
                values.AsSpan(values.Length - kept).CopyTo(context.AsSpan(row * length + length - kept));
                futureValues?.AsSpan(0, predictionLength).CopyTo(future.AsSpan(row * predictionLength));
                groupIds[row] = group;
                row++;
            }
            ranges.Add((start, start + task.Target.Count));
        }
        return new Chronos2Batch(tensor(context, [rowCount, length]), tensor(future, [rowCount, predictionLength]),
            tensor(groupIds), ranges);
    }

    /// <summary>preprocess.py: targets, past-only covariates, then known-future covariates (sorted names).</summary>
    private static IEnumerable<(float[] Past, float[]? Future)> OrderedRows(Chronos2Input task)
    {
        foreach (var target in task.Target)
            yield return (target, null);
        var names = task.PastCovariates.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var name in names.Where(n => !task.FutureCovariates.ContainsKey(n)))
            yield return (task.PastCovariates[name], null);
        foreach (var name in names.Where(task.FutureCovariates.ContainsKey))
            yield return (task.PastCovariates[name], task.FutureCovariates[name]);
    }

    /// <summary>
    /// preprocess.py: _validate_list_of_dicts, plus the finite-value checks the reference leaves out. Unlike the
    /// reference's dict input, tasks of one call may differ in variates and covariates (its list-of-tensors input
    /// already mixes 1-D and 2-D items): each task is its own group, so nothing requires a shared schema here.
    /// </summary>
    internal static void Validate(IReadOnlyList<Chronos2Input> inputs, int predictionLength)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            throw new ArgumentException("inputs is empty; give at least one series.", nameof(inputs));
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i] ?? throw new ArgumentException($"inputs[{i}] is null.", nameof(inputs));
            if (input.Target.Count == 0)
                throw new ArgumentException($"inputs[{i}] has no target variate.", nameof(inputs));
            var history = input.HistoryLength;
            if (history == 0)
                throw new ArgumentException($"inputs[{i}].Target[0] is empty; a history needs at least one value.", nameof(inputs));
            for (var v = 0; v < input.Target.Count; v++)
            {
                var values = input.Target[v] ?? throw new ArgumentException($"inputs[{i}].Target[{v}] is null.", nameof(inputs));
                if (values.Length != history)
                    throw new ArgumentException(
                        $"inputs[{i}].Target[{v}] has {values.Length} values but Target[0] has {history}; the variates of a task share one history.",
                        nameof(inputs));
                CheckFinite(values, $"inputs[{i}].Target[{v}]");
                if (values.All(float.IsNaN))
                    throw new ArgumentException(
                        $"inputs[{i}].Target[{v}] has no observed value (all {history} values are NaN); drop it or give it at least one value.",
                        nameof(inputs));
            }
            foreach (var (name, values) in input.PastCovariates)
            {
                if (values is null || values.Length != history)
                    throw new ArgumentException(
                        $"inputs[{i}].PastCovariates[\"{name}\"] has {values?.Length ?? 0} values but the target history has {history}.", nameof(inputs));
                CheckFinite(values, $"inputs[{i}].PastCovariates[\"{name}\"]");
            }
            foreach (var (name, values) in input.FutureCovariates)
            {
                if (!input.PastCovariates.ContainsKey(name))
                    throw new ArgumentException(
                        $"inputs[{i}].FutureCovariates[\"{name}\"] has no past values; add it to PastCovariates (known-future covariates need both).",
                        nameof(inputs));
                if (values is null || values.Length != predictionLength)
                    throw new ArgumentException(
                        $"inputs[{i}].FutureCovariates[\"{name}\"] has {values?.Length ?? 0} values but prediction_length is {predictionLength}.",
                        nameof(inputs));
                CheckFinite(values, $"inputs[{i}].FutureCovariates[\"{name}\"]");
            }
            foreach (var (name, values) in input.PastCategoricals)
            {
                if (input.PastCovariates.ContainsKey(name))
                    throw new ArgumentException(
                        $"inputs[{i}] has \"{name}\" both as a numeric and a categorical covariate; give each covariate once.", nameof(inputs));
                if (values is null || values.Length != history)
                    throw new ArgumentException(
                        $"inputs[{i}].PastCategoricals[\"{name}\"] has {values?.Length ?? 0} values but the target history has {history}.", nameof(inputs));
            }
            foreach (var (name, values) in input.FutureCategoricals)
            {
                if (!input.PastCategoricals.ContainsKey(name))
                    throw new ArgumentException(
                        $"inputs[{i}].FutureCategoricals[\"{name}\"] has no past values; add it to PastCategoricals (known-future covariates need both).",
                        nameof(inputs));
                if (values is null || values.Length != predictionLength)
                    throw new ArgumentException(
                        $"inputs[{i}].FutureCategoricals[\"{name}\"] has {values?.Length ?? 0} values but prediction_length is {predictionLength}.",
                        nameof(inputs));
            }
        }
    }

    private static void CheckFinite(float[] values, string what)
    {
        for (var t = 0; t < values.Length; t++)
            if (float.IsInfinity(values[t]))
                throw new ArgumentException(
                    $"{what} has a non-finite value ({values[t]}) at position {t}; replace it with NaN (missing) or a finite number.");
    }
}
