using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Forecast.Core.Artifacts;

/// <summary>The one YAML style of run artifacts (cleaning.yaml, eda.yaml, metrics.yaml, config.yaml): snake_case keys, block style.</summary>
public static class YamlText
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .DisableAliases()
        .Build();

    public static string Serialize(object value) => Serializer.Serialize(value);
}
