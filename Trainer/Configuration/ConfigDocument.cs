using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Forecast.Trainer.Configuration;

/// <summary>
/// The YAML tree of a configuration file with the command-line overrides (<c>--set key=value</c>) applied: each
/// override replaces (or adds) the value at its dotted key, parsed as YAML, so "--set evaluation.quantiles=[0.1,0.9]"
/// gives a list. Syntax errors become <see cref="ConfigProblem"/>s with line:column.
/// </summary>
public static class ConfigDocument
{
    /// <summary>The root mapping, or null when the text could not be parsed (the problems are then in <paramref name="context"/>).</summary>
    public static YamlMappingNode? Parse(string yaml, IReadOnlyList<string> overrides, ConfigContext context)
    {
        YamlMappingNode root;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            if (stream.Documents.Count == 0) root = new YamlMappingNode();
            else if (stream.Documents[0].RootNode is YamlMappingNode mapping) root = mapping;
            else if (stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) root = new YamlMappingNode();
            else
            {
                context.Add(stream.Documents[0].RootNode, "", "the file must be a YAML mapping of sections (run:, data:, model:, evaluation: ...).");
                return null;
            }
        }
        catch (Exception e) when (YamlSyntax.IsParseFailure(e))
        {
            context.Problems.Add(new ConfigProblem($"{context.Source}:{YamlSyntax.Locate(yaml, parser, e)}", "", $"not valid YAML: {YamlSyntax.Describe(yaml, e)}"));
            return null;
        }
        foreach (string assignment in overrides) Apply(root, assignment, context);
        return root;
    }

    private static void Apply(YamlMappingNode root, string assignment, ConfigContext context)
    {
        string origin = $"--set {assignment}";
        int equals = assignment.IndexOf('=');
        if (equals <= 0)
        {
            context.Problems.Add(new ConfigProblem(origin, "", "an override must look like key=value with a dotted key, e.g. evaluation.horizon=24."));
            return;
        }
        string[] path = assignment[..equals].Trim().Split('.');
        if (path.Any(string.IsNullOrWhiteSpace))
        {
            context.Problems.Add(new ConfigProblem(origin, assignment[..equals], "the key has an empty segment; use dotted keys such as model.name."));
            return;
        }
        YamlNode value;
        string text = assignment[(equals + 1)..];
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            value = stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
        }
        catch (Exception e) when (YamlSyntax.IsParseFailure(e))
        {
            context.Problems.Add(new ConfigProblem(origin, assignment[..equals], $"the value is not valid YAML: {YamlSyntax.Describe(text, e)}"));
            return;
        }
        MarkAll(value, origin, context);

        var mapping = root;
        for (int i = 0; i < path.Length - 1; i++)
        {
            var existing = Find(mapping, path[i]);
            if (existing is { } pair && pair.Value is YamlMappingNode child)
            {
                mapping = child;
                continue;
            }
            var created = new YamlMappingNode();
            context.MarkOverride(created, origin);
            var key = new YamlScalarNode(path[i]);
            context.MarkOverride(key, origin);
            if (existing is { } replaced) mapping.Children.Remove(replaced.Key);
            mapping.Children.Add(key, created);
            mapping = created;
        }
        var last = Find(mapping, path[^1]);
        if (last is { } old) mapping.Children.Remove(old.Key);
        var lastKey = new YamlScalarNode(path[^1]);
        context.MarkOverride(lastKey, origin);
        mapping.Children.Add(lastKey, value);
    }

    private static KeyValuePair<YamlNode, YamlNode>? Find(YamlMappingNode mapping, string key)
    {
        foreach (var pair in mapping.Children)
            if (pair.Key is YamlScalarNode s && s.Value == key) return pair;
        return null;
    }

    private static void MarkAll(YamlNode node, string origin, ConfigContext context)
    {
        context.MarkOverride(node, origin);
        foreach (var child in node.AllNodes) context.MarkOverride(child, origin);
    }
}
