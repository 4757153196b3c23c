using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Serializes a JSON tree the way transformers writes config.json and index files —
/// <c>json.dumps(obj, indent=2, sort_keys=True)</c> (PretrainedConfig.to_json_string): keys sorted, two-space
/// indent, ", " / ": " separators, non-ASCII escaped (ensure_ascii), and floats as Python's repr (1.0, 1e-06) so an
/// integer stays an int and a float stays a float when Python reads the file back.
/// </summary>
public static class PythonJson
{
    public static string Serialize(JsonNode? node, bool sortKeys = true)
    {
        var builder = new StringBuilder();
        Write(builder, node, 0, sortKeys);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonNode? node, int depth, bool sortKeys)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    builder.Append("{}");
                    break;
                }
                builder.Append("{\n");
                var entries = sortKeys ? obj.OrderBy(e => e.Key, StringComparer.Ordinal) : obj.AsEnumerable();
                var first = true;
                foreach (var (key, value) in entries)
                {
                    builder.Append(first ? "" : ",\n").Append(' ', 2 * (depth + 1));
                    AppendString(builder, key);
                    builder.Append(": ");
                    Write(builder, value, depth + 1, sortKeys);
                    first = false;
                }
                builder.Append('\n').Append(' ', 2 * depth).Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    builder.Append("[]");
                    break;
                }
                builder.Append("[\n");
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i == 0 ? "" : ",\n").Append(' ', 2 * (depth + 1));
                    Write(builder, array[i], depth + 1, sortKeys);
                }
                builder.Append('\n').Append(' ', 2 * depth).Append(']');
                break;
            case JsonValue value:
                WriteValue(builder, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder builder, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                AppendString(builder, value.GetValue<string>());
                return;
            case JsonValueKind.True:
                builder.Append("true");
                return;
            case JsonValueKind.False:
                builder.Append("false");
                return;
            case JsonValueKind.Null:
                builder.Append("null");
                return;
            case JsonValueKind.Number:
                builder.Append(FormatNumber(value));
                return;
            default:
                throw new ArgumentException($"unsupported JSON value {value.ToJsonString()}");
        }
    }

    /// <summary>An int as digits; a float as Python's repr.</summary>
    private static string FormatNumber(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            var raw = element.GetRawText();
            if (raw.IndexOfAny(['.', 'e', 'E']) < 0)
                return raw;
            return FloatRepr(element.GetDouble());
        }
        if (value.TryGetValue<double>(out var d))
            return FloatRepr(d);
        if (value.TryGetValue<float>(out var f))
            return FloatRepr(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        if (value.TryGetValue<decimal>(out var m))
            return FloatRepr((double)m);
        return value.ToJsonString();
    }

    /// <summary>
    /// Python's repr(float): the shortest digits that round-trip, in fixed notation when the decimal exponent is in
    /// [-4, 16) (always with a fractional part, "1.0"), else d.ddde±XX (CPython float_repr_style 'short', format 'r').
    /// </summary>
    public static string FloatRepr(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "Infinity" : "-Infinity";
        if (value == 0)
            return double.IsNegative(value) ? "-0.0" : "0.0";
        // Shortest round-trip digits: .NET's "R" gives them (as CPython's repr), in either notation; normalise them.
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var digits = new StringBuilder();
        int exponent;
        var ePos = roundTrip.IndexOf('E');
        var mantissa = ePos >= 0 ? roundTrip[..ePos] : roundTrip;
        var extra = ePos >= 0 ? int.Parse(roundTrip[(ePos + 1)..], CultureInfo.InvariantCulture) : 0;
        var dot = mantissa.IndexOf('.');
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var all = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - all.Length;
        exponent = intPart.Length - 1 - leadingZeros + extra;
        digits.Append(all.TrimEnd('0'));
        if (digits.Length == 0)
            digits.Append('0');
        var sign = value < 0 ? "-" : "";
        var d = digits.ToString();
        if (exponent is >= -4 and < 16)
        {
            if (exponent < 0)
                return sign + "0." + new string('0', -exponent - 1) + d;
            var integerDigits = exponent + 1;
            if (d.Length <= integerDigits)
                return sign + d + new string('0', integerDigits - d.Length) + ".0";
            return sign + d[..integerDigits] + "." + d[integerDigits..];
        }
        var body = d.Length == 1 ? d : d[0] + "." + d[1..];
        return sign + body + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON string with ensure_ascii=True escaping (json.encoder.py_encode_basestring_ascii).</summary>
    private static void AppendString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ' or > '~': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }
        builder.Append('"');
    }
}
