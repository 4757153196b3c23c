namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Turns categorical covariates into numeric ones as the reference does before batching (chronos2/preprocess.py:
/// _build_prepared_inputs, _encode_categorical, _target_encode), over all tasks of a call at once:
/// <list type="bullet">
/// <item>The categories of a column are the distinct non-missing past values of every task that has it, in ordinal
/// order (pandas' category dtype sorts them); a missing value is a category of its own (slot n).</item>
/// <item>A task with one target variate gets <b>target encoding</b>: each value becomes
/// <c>(1·item_mean + Σ target over its rows) / (1 + count)</c>, in float64, over the rows whose target is observed
/// (item_mean = the mean observed target, 0 when none). Future values look the same table up; a category the history
/// never had gives the item mean.</item>
/// <item>A task with several targets gets <b>ordinal encoding</b>: the category's index, the missing-value slot n, and
/// NaN for a future value outside the categories.</item>
/// </list>
/// A future value outside every history's categories is an <see cref="UnseenCategoryException"/> unless
/// <c>allowUnseen</c>.
/// </summary>
public static class CategoricalCovariates
{
    private const double Smooth = 1.0;

    /// <summary>The tasks with their categoricals replaced by numeric covariates of the same names (tasks without any returned as they are).</summary>
    public static IReadOnlyList<Chronos2Input> Encode(IReadOnlyList<Chronos2Input> tasks, bool allowUnseen)
    {
        if (tasks.All(t => t.PastCategoricals.Count == 0))
            return tasks;
        var categories = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in tasks.SelectMany(t => t.PastCategoricals.Keys).Distinct(StringComparer.Ordinal))
            categories[name] = [.. tasks.Where(t => t.PastCategoricals.ContainsKey(name))
                .SelectMany(t => t.PastCategoricals[name]).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

        var encoded = new Chronos2Input[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            if (task.PastCategoricals.Count == 0)
            {
                encoded[i] = task;
                continue;
            }
            var past = new Dictionary<string, float[]>(task.PastCovariates, StringComparer.Ordinal);
            var future = new Dictionary<string, float[]>(task.FutureCovariates, StringComparer.Ordinal);
            foreach (var (name, values) in task.PastCategoricals)
            {
                var index = categories[name].Select((c, k) => (c, k)).ToDictionary(p => p.c, p => p.k, StringComparer.Ordinal);
                var n = categories[name].Length;                     // slot n: missing; slot n + 1: unseen
                int Code(string? value) => value is null ? n : index.TryGetValue(value, out var k) ? k : n + 1;
                var pastCodes = values.Select(Code).ToArray();
                int[]? futureCodes = null;
                if (task.FutureCategoricals.TryGetValue(name, out var futureValues))
                {
                    futureCodes = futureValues.Select(Code).ToArray();
                    var unseen = Array.IndexOf(futureCodes, n + 1);
                    if (unseen >= 0 && !allowUnseen)
                        throw new UnseenCategoryException(
                            $"inputs[{i}].FutureCategoricals[\"{name}\"] has '{futureValues[unseen]}' at step {unseen}, a category no history has "
                            + $"(known: {string.Join(", ", categories[name].Take(10).Select(c => $"'{c}'"))}{(n > 10 ? $" and {n - 10} more" : "")}); "
                            + "fix the value, or set AllowUnseenCategories to encode it as the reference does.");
                }
                if (task.Target.Count == 1)
                {
                    var (encodedPast, lookup) = TargetEncode(pastCodes, task.Target[0], n + 2);
                    past[name] = encodedPast;
                    if (futureCodes is not null)
                        future[name] = [.. futureCodes.Select(code => (float)lookup[code])];
                }
                else
                {
                    past[name] = [.. pastCodes.Select(code => (float)code)];
                    if (futureCodes is not null)
                        future[name] = [.. futureCodes.Select(code => code == n + 1 ? float.NaN : code)];
                }
            }
            encoded[i] = new Chronos2Input(task.Target, past, future);
        }
        return encoded;
    }

    /// <summary>preprocess.py: _target_encode for one item: encoded past values and the lookup per slot.</summary>
    private static (float[] Past, double[] Lookup) TargetEncode(int[] codes, float[] target, int slots)
    {
        double itemSum = 0, itemCount = 0;
        var sums = new double[slots];
        var counts = new double[slots];
        for (var t = 0; t < codes.Length; t++)
        {
            if (!float.IsFinite(target[t]))
                continue;
            itemSum += target[t];
            itemCount++;
            sums[codes[t]] += target[t];
            counts[codes[t]]++;
        }
        var itemMean = itemCount > 0 ? itemSum / itemCount : 0.0;
        var lookup = new double[slots];
        for (var slot = 0; slot < slots; slot++)
            lookup[slot] = (Smooth * itemMean + sums[slot]) / (Smooth + counts[slot]);
        return ([.. codes.Select(code => (float)lookup[code])], lookup);
    }
}
