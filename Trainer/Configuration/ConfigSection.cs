using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Forecast.Trainer.Configuration;

/// <summary>
/// A typed, validating view of one YAML mapping (a config section such as <c>evaluation</c>). Every read names the
/// key, takes its default when the key is absent, and records a <see cref="ConfigProblem"/> (with line:column) when the
/// value has the wrong type or is out of range, so one pass reports every problem. <see cref="Finish"/> reports keys
/// nobody read as unknown. The values read are kept in <see cref="Resolved"/> for the run's config.yaml.
/// </summary>
public sealed class ConfigSection
{
    private readonly YamlMappingNode? _node;
    private readonly ConfigContext _context;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ConfigSection(YamlMappingNode? node, string path, ConfigContext context, YamlNode? anchor = null)
    {
        _node = node;
        _context = context;
        Path = path;
        Anchor = node ?? anchor;
    }

    /// <summary>The dotted path of this section ("" for the root, "model.seasonal_naive" ...).</summary>
    public string Path { get; }

    /// <summary>The node problems of the section as a whole point at (the mapping, or its key when absent).</summary>
    public YamlNode? Anchor { get; }

    public bool Exists => _node is not null;

    public ConfigContext Context => _context;

    /// <summary>The effective values read, in reading order (nested sections as dictionaries).</summary>
    public Dictionary<string, object?> Resolved { get; } = [];

    public IEnumerable<string> PresentKeys =>
        _node?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "") ?? [];

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public string String(string key, string defaultValue) => OptionalString(key, defaultValue) ?? defaultValue;

    public string? OptionalString(string key, string? defaultValue)
    {
        var node = Scalar(key, out bool present);
        string? value = present ? (IsNull(node!) ? null : node!.Value) : defaultValue;
        Resolved[key] = value;
        return value;
    }

    /// <summary>A string that must be given; a missing or empty one is a problem.</summary>
    public string RequiredString(string key, string hint)
    {
        var node = Scalar(key, out bool present);
        if (!present)
        {
            if (!Has(key)) _context.Add(Anchor, KeyPath(key), $"is required but missing; {hint}");
            Resolved[key] = null;
            return "";
        }
        if (IsNull(node!) || string.IsNullOrWhiteSpace(node!.Value))
        {
            _context.Add(node, KeyPath(key), $"is required but empty; {hint}");
            Resolved[key] = null;
            return "";
        }
        Resolved[key] = node.Value;
        return node.Value!;
    }

    /// <summary>A whole number that must be given.</summary>
    public int RequiredInt(string key, int min, int max, string hint)
    {
        if (!Has(key))
        {
            _read.Add(key);
            _context.Add(Anchor, KeyPath(key), $"is required but missing; {hint}");
            Resolved[key] = null;
            return min;
        }
        return OptionalInt(key, min, min, max, allowNull: false) ?? min;
    }

    public int Int(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        OptionalInt(key, defaultValue, min, max, allowNull: false) ?? defaultValue;

    public int? OptionalInt(string key, int? defaultValue, int min = int.MinValue, int max = int.MaxValue, bool allowNull = true)
    {
        var node = Scalar(key, out bool present);
        if (!present) { Resolved[key] = defaultValue; return defaultValue; }
        if (IsNull(node!))
        {
            if (!allowNull) _context.Add(node, KeyPath(key), $"must be a whole number, not null (default {defaultValue?.ToString(CultureInfo.InvariantCulture) ?? "null"}).");
            Resolved[key] = allowNull ? null : defaultValue;
            return allowNull ? null : defaultValue;
        }
        if (!int.TryParse(node!.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            _context.Add(node, KeyPath(key), $"must be a whole number, got '{node.Value}'.");
            Resolved[key] = defaultValue;
            return defaultValue;
        }
        if (value < min || value > max)
            _context.Add(node, KeyPath(key), $"must be {Range(min, max)}, got {value}.");
        Resolved[key] = value;
        return value;
    }

    public double Double(string key, double defaultValue, double min, double max)
    {
        var node = Scalar(key, out bool present);
        if (!present) { Resolved[key] = defaultValue; return defaultValue; }
        if (IsNull(node!) || !double.TryParse(node!.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            _context.Add(node, KeyPath(key), $"must be a number, got '{node!.Value}'.");
            Resolved[key] = defaultValue;
            return defaultValue;
        }
        if (value < min || value > max) _context.Add(node, KeyPath(key), FormattableString.Invariant($"must be between {min} and {max}, got {value}."));
        Resolved[key] = value;
        return value;
    }

    public bool Bool(string key, bool defaultValue)
    {
        var node = Scalar(key, out bool present);
        if (!present) { Resolved[key] = defaultValue; return defaultValue; }
        if (!IsNull(node!) && bool.TryParse(node!.Value, out bool value)) { Resolved[key] = value; return value; }
        _context.Add(node, KeyPath(key), $"must be true or false, got '{node!.Value}'.");
        Resolved[key] = defaultValue;
        return defaultValue;
    }

    /// <summary>An enum written in snake_case (fill_missing: linear, mode: backtest); the message lists the allowed values.</summary>
    public TEnum Enum<TEnum>(string key, TEnum defaultValue) where TEnum : struct, Enum
    {
        var node = Scalar(key, out bool present);
        if (!present) { Resolved[key] = SnakeCase(defaultValue.ToString()); return defaultValue; }
        string text = IsNull(node!) ? "" : node!.Value ?? "";
        foreach (var value in System.Enum.GetValues<TEnum>())
        {
            if (string.Equals(SnakeCase(value.ToString()), text, StringComparison.OrdinalIgnoreCase))
            {
                Resolved[key] = SnakeCase(value.ToString());
                return value;
            }
        }
        _context.Add(node, KeyPath(key), $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(SnakeCase))}.");
        Resolved[key] = SnakeCase(defaultValue.ToString());
        return defaultValue;
    }

    public IReadOnlyList<double> DoubleList(string key, IReadOnlyList<double> defaultValue)
    {
        var items = Sequence(key, out bool present);
        if (!present || items is null) { Resolved[key] = defaultValue; return defaultValue; }
        var result = new List<double>();
        foreach (var item in items)
        {
            if (item is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
                result.Add(v);
            else
                _context.Add(item, KeyPath(key), $"every item must be a number, got '{Describe(item)}'.");
        }
        Resolved[key] = result;
        return result;
    }

    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string> defaultValue)
    {
        var items = Sequence(key, out bool present);
        if (!present || items is null) { Resolved[key] = defaultValue; return defaultValue; }
        var result = new List<string>();
        foreach (var item in items)
        {
            if (item is YamlScalarNode s && !IsNull(s) && !string.IsNullOrWhiteSpace(s.Value)) result.Add(s.Value!);
            else _context.Add(item, KeyPath(key), $"every item must be a non-empty string, got '{Describe(item)}'.");
        }
        Resolved[key] = result;
        return result;
    }

    /// <summary>A nested mapping; an absent key gives an empty section whose reads all take defaults.</summary>
    public ConfigSection Section(string key)
    {
        _read.Add(key);
        var keyNode = KeyNode(key);
        var value = keyNode is null ? null : _node!.Children[keyNode];
        YamlMappingNode? mapping = null;
        if (value is YamlMappingNode m) mapping = m;
        else if (value is not null && !(value is YamlScalarNode s && IsNull(s)))
            _context.Add(value, KeyPath(key), $"must be a section (key: value lines below it), got '{Describe(value)}'.");
        var section = new ConfigSection(mapping, KeyPath(key), _context, (YamlNode?)keyNode ?? Anchor);
        Resolved[key] = section.Resolved;
        return section;
    }

    /// <summary>Marks a key as handled (its problem already reported) so <see cref="Finish"/> does not report it again.</summary>
    public void MarkRead(string key) => _read.Add(key);

    public bool Has(string key) => KeyNode(key) is not null;

    /// <summary>The node of <paramref name="key"/>'s value (to anchor cross-field problems), or the section itself.</summary>
    public YamlNode? NodeOf(string key)
    {
        var keyNode = KeyNode(key);
        return keyNode is null ? Anchor : _node!.Children[keyNode];
    }

    public void Problem(string key, string message) => _context.Add(NodeOf(key), KeyPath(key), message);

    /// <summary>Reports every key of this section that no read asked for, listing the known keys.</summary>
    public void Finish()
    {
        if (_node is null) return;
        foreach (var (keyNode, _) in _node.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (_read.Contains(key)) continue;
            string known = _read.Count == 0 ? "this section takes no keys" : $"known keys: {string.Join(", ", _read.Order(StringComparer.Ordinal))}";
            _context.Add(keyNode, KeyPath(key), $"unknown key; {known}.");
        }
    }

    private YamlScalarNode? Scalar(string key, out bool present)
    {
        _read.Add(key);
        var keyNode = KeyNode(key);
        present = keyNode is not null;
        if (!present) return null;
        var value = _node!.Children[keyNode!];
        if (value is YamlScalarNode scalar) return scalar;
        _context.Add(value, KeyPath(key), $"must be a single value, got a {(value is YamlSequenceNode ? "list" : "section")}.");
        present = false;
        return null;
    }

    private IReadOnlyList<YamlNode>? Sequence(string key, out bool present)
    {
        _read.Add(key);
        var keyNode = KeyNode(key);
        present = keyNode is not null;
        if (!present) return null;
        var value = _node!.Children[keyNode!];
        if (value is YamlSequenceNode sequence) return sequence.Children.ToList();
        if (value is YamlScalarNode s && IsNull(s)) { present = false; return null; }
        _context.Add(value, KeyPath(key), $"must be a list such as [a, b], got '{Describe(value)}'.");
        present = false;
        return null;
    }

    private YamlScalarNode? KeyNode(string key) =>
        _node?.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == key);

    private static bool IsNull(YamlScalarNode node) =>
        node.Style == YamlDotNet.Core.ScalarStyle.Plain && (node.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode => "a list",
        _ => "a section",
    };

    private static string Range(int min, int max) => (min, max) switch
    {
        (int.MinValue, int.MaxValue) => "a whole number",
        (_, int.MaxValue) => $"at least {min}",
        (int.MinValue, _) => $"at most {max}",
        _ => $"between {min} and {max}",
    };

    /// <summary>FillMissing → fill_missing; Ffill → ffill.</summary>
    public static string SnakeCase(string name)
    {
        var chars = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) chars.Append('_');
            chars.Append(char.ToLowerInvariant(name[i]));
        }
        return chars.ToString();
    }
}
