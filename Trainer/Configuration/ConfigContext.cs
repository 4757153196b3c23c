using YamlDotNet.RepresentationModel;

namespace Forecast.Trainer.Configuration;

/// <summary>State shared while one configuration is read: its source name, the problems found so far, and where --set nodes came from.</summary>
public sealed class ConfigContext(string source)
{
    private readonly Dictionary<YamlNode, string> _overrideOrigins = new(ReferenceEqualityComparer.Instance);

    public string Source { get; } = source;

    public List<ConfigProblem> Problems { get; } = [];

    /// <summary>Records that <paramref name="node"/> was created by a command-line override such as "--set evaluation.horizon=24".</summary>
    public void MarkOverride(YamlNode node, string origin) => _overrideOrigins[node] = origin;

    /// <summary>"file:line:column" of a node, or the --set it came from.</summary>
    public string LocationOf(YamlNode? node)
    {
        if (node is null) return Source;
        if (_overrideOrigins.TryGetValue(node, out var origin)) return origin;
        return $"{Source}:{node.Start.Line}:{node.Start.Column}";
    }

    public void Add(YamlNode? node, string key, string message) => Problems.Add(new ConfigProblem(LocationOf(node), key, message));
}
