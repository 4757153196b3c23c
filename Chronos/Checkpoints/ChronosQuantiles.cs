namespace Forecast.Chronos.Checkpoints;

/// <summary>Checks of a config's quantile levels shared by Bolt and Chronos-2.</summary>
internal static class ChronosQuantiles
{
    public static void Validate(IReadOnlyList<double> quantiles, JsonFields fields)
    {
        if (quantiles.Count == 0)
            throw fields.Invalid("quantiles", "needs at least one level.");
        for (var i = 0; i < quantiles.Count; i++)
        {
            if (quantiles[i] is <= 0 or >= 1 || double.IsNaN(quantiles[i]))
                throw fields.Invalid("quantiles", $"level {quantiles[i]} at index {i} is not in (0, 1).");
            if (i > 0 && quantiles[i] <= quantiles[i - 1])
                throw fields.Invalid("quantiles", "levels must be strictly increasing.");
        }
    }
}
