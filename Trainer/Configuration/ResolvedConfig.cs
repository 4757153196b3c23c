namespace Forecast.Trainer.Configuration;

/// <summary>
/// Reads and changes <see cref="TrainerConfig.Resolved"/> (nested dictionaries, the run's config.yaml) by dotted key.
/// A change copies the dictionaries along its path, so the config it came from is left as it was.
/// </summary>
public static class ResolvedConfig
{
    public static object? Get(IReadOnlyDictionary<string, object?> resolved, string dottedKey)
    {
        object? current = resolved;
        foreach (string part in dottedKey.Split('.'))
        {
            if (current is not IReadOnlyDictionary<string, object?> map || !map.TryGetValue(part, out current)) return null;
        }
        return current;
    }

    public static IReadOnlyDictionary<string, object?> With(IReadOnlyDictionary<string, object?> resolved, string dottedKey, object? value)
    {
        string[] path = dottedKey.Split('.');
        return Set(resolved, path, 0, value);
    }

    private static Dictionary<string, object?> Set(IReadOnlyDictionary<string, object?>? map, string[] path, int depth, object? value)
    {
        var copy = map is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(map);
        copy[path[depth]] = depth == path.Length - 1
            ? value
            : Set(copy.GetValueOrDefault(path[depth]) as IReadOnlyDictionary<string, object?>, path, depth + 1, value);
        return copy;
    }
}
