namespace Forecast.Chronos.Checkpoints;

/// <summary>The rules for a config's quantile levels, shared by Bolt and Chronos-2.</summary>
internal static class ChronosQuantiles
{
    public static IEnumerable<string> Problems(IReadOnlyList<float> quantiles)
    {
        if (quantiles.Count == 0)
            yield return "needs at least one level.";
        for (var i = 0; i < quantiles.Count; i++)
        {
            if (quantiles[i] is <= 0 or >= 1 || float.IsNaN(quantiles[i]))
            {
                yield return $"level {quantiles[i]} at index {i} is not in (0, 1).";
                yield break;
            }
            if (i > 0 && quantiles[i] <= quantiles[i - 1])
            {
                yield return "levels must be strictly increasing.";
                yield break;
            }
        }
    }
}
