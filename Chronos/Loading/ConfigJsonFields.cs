using System.Text.Json;

namespace Forecast.Chronos.Loading;

/// <summary>
/// Typed reads of one JSON object of a checkpoint's config.json, with errors that name the file and the key
/// (e.g. <c>config.json: chronos_config.context_length is "x", expected an integer.</c>). Shared by the
/// Chronos-T5/Bolt and Chronos-2 config readers.
/// </summary>
internal sealed class ConfigJsonFields(JsonElement element, string path, string prefix = "")
{
    /// <summary>The root object of a checkpoint's config.json; a missing file or invalid JSON is an error naming the file.</summary>
    public static JsonElement ReadRoot(string path, string checkpointKind)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} not found: a {checkpointKind} checkpoint folder holds config.json and model.safetensors.", path);
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {error.LineNumber + 1}): {error.Message}", error);
        }
    }

    public int Int(string name, int fallback) => OptionalInt(name) ?? fallback;

    public int RequiredInt(string name) =>
        OptionalInt(name) ?? throw new InvalidDataException($"{path}: {prefix}{name} is missing.");

    /// <summary>An integer; a whole float such as 8192.0 is accepted too (Python's json reads it and the model works).</summary>
    public int? OptionalInt(string name) =>
        Get(name, JsonValueKind.Number) is { } v
            ? v.TryGetInt32(out var i) ? i
            : v.GetDouble() is var d && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? (int)d
            : throw Bad(name, v, "an integer")
            : null;

    public double Double(string name, double fallback) => Get(name, JsonValueKind.Number)?.GetDouble() ?? fallback;

    public string String(string name, string fallback) => Get(name, JsonValueKind.String)?.GetString() ?? fallback;

    public bool Bool(string name, bool fallback)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return fallback;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(name, v, "true or false"),
        };
    }

    public float[]? Floats(string name) =>
        Get(name, JsonValueKind.Array)?.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number
            ? (float)e.GetDouble() : throw Bad(name, e, "a list of numbers")).ToArray();

    private JsonElement? Get(string name, JsonValueKind kind)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind == kind ? v : throw Bad(name, v, kind.ToString().ToLowerInvariant());
    }

    private InvalidDataException Bad(string name, JsonElement value, string expected) =>
        new($"{path}: {prefix}{name} is {value.GetRawText()}, expected {expected}.");
}
