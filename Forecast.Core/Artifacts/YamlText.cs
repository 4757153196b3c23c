using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization.NamingConventions;

namespace Forecast.Core.Artifacts;

/// <summary>
/// The one YAML style of run artifacts (config.yaml, cleaning.yaml, eda/eda.yaml, metrics.yaml): snake_case keys,
/// block mappings, flow lists of scalars. Walks dictionaries, lists, records and scalars itself and drives
/// YamlDotNet's emitter directly (quoting and escaping stay YamlDotNet's): metrics.yaml of 5 000 series took ~4 s
/// through YamlDotNet's reflection serializer, mostly object-graph machinery.
/// </summary>
public static partial class YamlText
{
    private static readonly ConcurrentDictionary<Type, (string Name, Func<object, object?> Get)[]> Properties = new();

    public static string Serialize(object value)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(text, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Write(emitter, value);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Write(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                return;
            case string s:
                WriteString(emitter, s);
                return;
            case bool b:
                Plain(emitter, b ? "true" : "false");
                return;
            case double d:
                Plain(emitter, Number(d));
                return;
            case float f:
                Plain(emitter, Number(f));
                return;
            case DateTime t:
                Plain(emitter, t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                return;
            case Enum e:
                WriteString(emitter, e.ToString());
                return;
            case IFormattable number when value.GetType().IsPrimitive || value is decimal:
                Plain(emitter, number.ToString(null, CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (DictionaryEntry entry in dictionary)
                {
                    WriteString(emitter, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    Write(emitter, entry.Value);
                }
                emitter.Emit(new MappingEnd());
                return;
            case IEnumerable sequence:
                var items = sequence.Cast<object?>().ToList();
                bool scalars = items.All(i => i is null or string or bool or Enum or DateTime || (i.GetType().IsPrimitive));
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, scalars ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in items) Write(emitter, item);
                emitter.Emit(new SequenceEnd());
                return;
            default:
                if (IsReadOnlyDictionary(value.GetType()))
                {
                    // IReadOnlyDictionary<K, V> that is not an IDictionary: enumerate its KeyValuePairs.
                    emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                    foreach (var pair in (IEnumerable)value)
                    {
                        var type = pair.GetType();
                        WriteString(emitter, Convert.ToString(type.GetProperty("Key")!.GetValue(pair), CultureInfo.InvariantCulture) ?? "");
                        Write(emitter, type.GetProperty("Value")!.GetValue(pair));
                    }
                    emitter.Emit(new MappingEnd());
                    return;
                }
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (name, get) in PropertiesOf(value.GetType()))
                {
                    WriteString(emitter, name);
                    Write(emitter, get(value));
                }
                emitter.Emit(new MappingEnd());
                return;
        }
    }

    /// <summary>Public instance properties in declaration order, with snake_case names (as YamlDotNet's UnderscoredNamingConvention).</summary>
    private static (string Name, Func<object, object?> Get)[] PropertiesOf(Type type) =>
        Properties.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is not null)
            .OrderBy(p => p.MetadataToken)
            .Select(p => (UnderscoredNamingConvention.Instance.Apply(p.Name), (Func<object, object?>)p.GetValue))
            .ToArray());

    private static bool IsReadOnlyDictionary(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));

    private static string Number(double value) => value switch
    {
        double.NaN => ".nan",
        double.PositiveInfinity => ".inf",
        double.NegativeInfinity => "-.inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void Plain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(null, null, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    /// <summary>A string stays a string when read back: text that YAML would take as null, a bool or a number is quoted.</summary>
    private static void WriteString(IEmitter emitter, string text)
    {
        var style = text.Length == 0 || NonString().IsMatch(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    /// <summary>YAML 1.1/1.2 core-schema null, bool, int and float forms.</summary>
    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?[0-9][0-9_]*|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex NonString();
}
