using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forecast.Prophet;

/// <summary>
/// Typed reads from prophet's model JSON that fail with a <see cref="ProphetModelJsonException"/> naming the path
/// (wrong type, null, missing, out of range) instead of System.Text.Json's InvalidOperationException or a
/// NullReferenceException. Nested pandas tables (history, holidays, ...) are JSON inside strings; their paths read
/// <c>history.data[3].y</c>.
/// </summary>
internal static class ModelJson
{
    /// <summary>
    /// Parses text that must be a JSON object; duplicate keys are an error (System.Text.Json's JsonNode would throw
    /// ArgumentException on them at first access), as are nesting deeper than 64 levels and trailing content.
    /// </summary>
    public static JsonObject ParseObject(string text, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, new JsonNodeOptions { PropertyNameCaseInsensitive = false }, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new ProphetModelJsonException($"is not valid JSON ({e.Message})", path, e);
        }
        return node as JsonObject ?? throw new ProphetModelJsonException($"must be a JSON object, found {Kind(node)}", path);
    }

    public static JsonNode Required(JsonObject obj, string key, string path) =>
        obj[key] ?? throw new ProphetModelJsonException(obj.ContainsKey(key) ? "is null" : "is missing (is this a prophet model_to_json file?)", Join(path, key));

    public static double Number(JsonNode? node, string path)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var d) && double.IsFinite(d)) return d;
        throw new ProphetModelJsonException($"is {Kind(node)}, expected a finite number", path);
    }

    public static double Number(JsonObject obj, string key, string path) => Number(Required(obj, key, path), Join(path, key));

    /// <summary>A number, or NaN for null (pandas writes NaN as null).</summary>
    public static double NumberOrNaN(JsonNode? node, string path) => node is null ? double.NaN : Number(node, path);

    public static double? OptionalNumber(JsonObject obj, string key, string path) =>
        obj[key] is null ? null : Number(obj[key], Join(path, key));

    /// <summary>A whole number within [min, max] (JSON writes Python ints and floats alike as numbers).</summary>
    public static int Int(JsonNode? node, string path, int min, int max)
    {
        double d = Number(node, path);
        if (d != Math.Floor(d) || d < min || d > max)
            throw new ProphetModelJsonException(FormattableString.Invariant($"is {d}, expected a whole number from {min} to {max}"), path);
        return (int)d;
    }

    public static int Int(JsonObject obj, string key, string path, int min, int max) => Int(Required(obj, key, path), Join(path, key), min, max);

    public static string String(JsonNode? node, string path)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String) return value.GetValue<string>();
        throw new ProphetModelJsonException($"is {Kind(node)}, expected a string", path);
    }

    public static string String(JsonObject obj, string key, string path) => String(Required(obj, key, path), Join(path, key));

    public static string? OptionalString(JsonObject obj, string key, string path) =>
        obj[key] is null ? null : String(obj[key], Join(path, key));

    public static bool Bool(JsonNode? node, string path)
    {
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return value.GetValue<bool>();
        throw new ProphetModelJsonException($"is {Kind(node)}, expected true or false", path);
    }

    public static bool? OptionalBool(JsonObject obj, string key, string path) =>
        obj[key] is null ? null : Bool(obj[key], Join(path, key));

    public static JsonArray Array(JsonNode? node, string path) =>
        node as JsonArray ?? throw new ProphetModelJsonException($"is {Kind(node)}, expected a list", path);

    public static JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw new ProphetModelJsonException($"is {Kind(node)}, expected an object", path);

    /// <summary>An ISO date within .NET's DateTime range (prophet writes 'yyyy-MM-ddTHH:mm:ss.fff').</summary>
    public static DateTime Date(JsonNode? node, string path)
    {
        string text = String(node, path);
        return ProphetFrame.ParseDate(text.TrimEnd('Z'))
            ?? throw new ProphetModelJsonException($"is '{Shorten(text)}', expected an ISO date such as 2020-01-31T00:00:00.000", path);
    }

    /// <summary>Seconds since 1970 (prophet's start) as a date; out of the representable range is an error, not an overflow.</summary>
    public static DateTime EpochSeconds(JsonObject obj, string key, string path)
    {
        double seconds = Number(obj, key, path);
        double ticks = Math.Round(seconds * TimeSpan.TicksPerSecond);
        long epochTicks = DateTime.UnixEpoch.Ticks;
        if (ticks < -epochTicks || ticks > DateTime.MaxValue.Ticks - epochTicks)
            throw new ProphetModelJsonException(FormattableString.Invariant($"is {seconds} seconds since 1970, outside the years 1 to 9999"), Join(path, key));
        return new DateTime(epochTicks + (long)ticks);
    }

    /// <summary>A positive duration in seconds (prophet's t_scale).</summary>
    public static TimeSpan PositiveSeconds(JsonObject obj, string key, string path)
    {
        double seconds = Number(obj, key, path);
        double ticks = Math.Round(seconds * TimeSpan.TicksPerSecond);
        if (!(ticks >= 1 && ticks <= DateTime.MaxValue.Ticks))
            throw new ProphetModelJsonException(FormattableString.Invariant($"is {seconds} seconds, expected a positive duration"), Join(path, key));
        return TimeSpan.FromTicks((long)ticks);
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int i) => string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null or missing",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{Shorten(v.GetValue<string>())}\"",
            JsonValueKind.Number => $"the number {Shorten(v.ToJsonString())}",
            JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => v.GetValueKind().ToString().ToLowerInvariant(),
        },
        _ => "unknown",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
