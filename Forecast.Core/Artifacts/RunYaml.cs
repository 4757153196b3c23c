using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Forecast.Core.Artifacts;

/// <summary>The YAML files of a run (config.yaml, metrics.yaml, eda.yaml …) read back: snake_case keys, unknown keys ignored.</summary>
internal static class RunYaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <exception cref="InvalidDataException">The text is not YAML of that shape; the message names <paramref name="location"/>, line and column.</exception>
    public static T? Parse<T>(string text, string location) where T : class
    {
        try
        {
            return Deserializer.Deserialize<T>(text);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{location} line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
    }
}
