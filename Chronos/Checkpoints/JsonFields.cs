using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Typed access to one JSON object of a config file, with errors that name the file and the field
/// (e.g. "config.json: chronos_config.top_k is "50", expected an integer"), and writes that keep Python's int/float
/// distinction.
/// </summary>
internal sealed class JsonFields(JsonObject obj, string path, string prefix = "")
{
    public JsonObject Object => obj;

    public bool Has(string name) => obj[name] is not null;

    public int? Int(string name)
    {
        if (obj[name] is not JsonValue value)
            return obj[name] is null ? null : throw Bad(name, "an integer");
        if (value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<JsonElement>(out var e) && e.TryGetInt32(out var i))
            return i;
        if (value.TryGetValue<int>(out var direct))
            return direct;
        if (value.TryGetValue<long>(out var wide) && wide is >= int.MinValue and <= int.MaxValue)
            return (int)wide;
        throw Bad(name, "an integer");
    }

    public int Int(string name, int fallback) => Int(name) ?? fallback;

    public double? Double(string name)
    {
        if (obj[name] is not JsonValue value)
            return obj[name] is null ? null : throw Bad(name, "a number");
        if (value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var d))
            return d;
        throw Bad(name, "a number");
    }

    public double Double(string name, double fallback) => Double(name) ?? fallback;

    public string? String(string name) =>
        obj[name] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw Bad(name, "a string"),
        };

    public bool? Bool(string name) =>
        obj[name] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            _ => throw Bad(name, "true or false"),
        };

    public IReadOnlyList<double>? Doubles(string name) =>
        obj[name] switch
        {
            null => null,
            JsonArray array => array.Select((item, i) => item is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                ? v.GetValue<double>() : throw Bad($"{name}[{i}]", "a number")).ToList(),
            _ => throw Bad(name, "a list of numbers"),
        };

    public IReadOnlyList<string>? Strings(string name) =>
        obj[name] switch
        {
            null => null,
            JsonArray array => array.Select((item, i) => item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>() : throw Bad($"{name}[{i}]", "a string")).ToList(),
            _ => throw Bad(name, "a list of strings"),
        };

    public JsonFields? Child(string name) =>
        obj[name] switch
        {
            null => null,
            JsonObject child => new JsonFields(child, path, $"{prefix}{name}."),
            _ => throw Bad(name, "an object"),
        };

    /// <summary>Writes an integer when the key is new or was an integer; removes it when null.</summary>
    public void Set(string name, long? value)
    {
        if (value is null)
            obj.Remove(name);
        else
            obj[name] = JsonValue.Create(value.Value);
    }

    /// <summary>Writes a float, as an int when the file had an int literal there and the value is integral.</summary>
    public void Set(string name, double? value)
    {
        if (value is not { } v)
        {
            obj.Remove(name);
            return;
        }
        var wasInt = obj[name] is JsonValue old && old.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number
            && e.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0;
        obj[name] = wasInt && Math.Abs(v) < 1e15 && v == Math.Floor(v) ? JsonValue.Create((long)v) : JsonValue.Create(v);
    }

    public void Set(string name, string? value)
    {
        if (value is null)
            obj.Remove(name);
        else
            obj[name] = JsonValue.Create(value);
    }

    public void Set(string name, bool? value)
    {
        if (value is null)
            obj.Remove(name);
        else
            obj[name] = JsonValue.Create(value.Value);
    }

    public void Set(string name, IReadOnlyList<double>? values)
    {
        if (values is null)
            obj.Remove(name);
        else
            obj[name] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
    }

    public void Set(string name, IReadOnlyList<string>? values)
    {
        if (values is null)
            obj.Remove(name);
        else
            obj[name] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
    }

    /// <summary>
    /// Keys the file had are rewritten; absent keys only when the value differs from the class default (what
    /// transformers' to_json_string(use_diff) leaves out).
    /// </summary>
    public void SetUnlessDefault<T>(string name, T value, T fallback)
    {
        if (!Has(name) && EqualityComparer<T>.Default.Equals(value, fallback))
            return;
        switch (value)
        {
            case int i: Set(name, (long)i); break;
            case double d: Set(name, d); break;
            case string s: Set(name, s); break;
            case bool b: Set(name, b); break;
        }
    }

    /// <summary>
    /// Writes float32 levels as the short decimals Python wrote (0.1, not 0.10000000149011612), leaving the file's
    /// numbers alone when they already are these levels.
    /// </summary>
    public void SetLevels(string name, IReadOnlyList<float> levels)
    {
        if (obj[name] is JsonArray && Doubles(name) is { } old && old.Select(v => (float)v).SequenceEqual(levels))
            return;
        Set(name, levels.Select(level => (double)(decimal)level).ToList());
    }

    /// <summary>Fails with the first problem of <paramref name="problems"/> (JSON key, value, why) as an error naming the file and key.</summary>
    public void Check(IEnumerable<(string Key, object? Value, string Why)> problems)
    {
        foreach (var (key, _, why) in problems)
            throw Invalid(key, why);
    }

    public CheckpointConfigException Bad(string name, string expected) =>
        new(path, $"{prefix}{name} is {obj[name]?.ToJsonString() ?? "null"}, expected {expected}.");

    public CheckpointConfigException Invalid(string name, string why) =>
        new(path, $"{prefix}{name} = {obj[name]?.ToJsonString() ?? "null"}: {why}");
}
