using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forecast.Deploy.Output;

/// <summary>
/// Writes each AWS::ECS::TaskDefinition of a synthesized template as the JSON of an ECS RegisterTaskDefinition request
/// (the shape of <c>aws ecs register-task-definition --cli-input-json</c>): CloudFormation's PascalCase properties in
/// the API's camelCase, intrinsics replaced by placeholders (<see cref="CloudFormationPlaceholders"/>).
/// </summary>
public static class TaskDefinitionExporter
{
    /// <summary>Maps whose keys are user data (log driver options, labels) and keep their spelling.</summary>
    private static readonly HashSet<string> FreeFormMaps = new(StringComparer.Ordinal) { "Options", "DockerLabels" };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The task definitions of <paramref name="template"/> by family.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Export(JsonObject template, string stackName)
    {
        var placeholders = new CloudFormationPlaceholders(template, stackName);
        var result = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (logicalId, node) in template["Resources"]!.AsObject())
        {
            if (node?["Type"]?.GetValue<string>() != "AWS::ECS::TaskDefinition") continue;
            var properties = placeholders.Resolve(node["Properties"])!.AsObject();
            var request = (JsonObject)ToApiShape(properties)!;
            request.Remove("tags"); // CloudFormation's tags are [{Key, Value}]; the deployment adds none
            string family = request["family"]?.GetValue<string>() ?? logicalId;
            result[family] = request;
        }
        return result;
    }

    public static void WriteAll(IReadOnlyDictionary<string, JsonObject> taskDefinitions, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (family, request) in taskDefinitions)
            File.WriteAllText(Path.Combine(folder, family + ".json"), request.ToJsonString(Indented) + "\n");
    }

    private static JsonNode? ToApiShape(JsonNode? node, bool keepKeys = false)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                    copy[keepKeys ? key : char.ToLowerInvariant(key[0]) + key[1..]] = ToApiShape(value, FreeFormMaps.Contains(key));
                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => ToApiShape(item))]);
            default:
                return node?.DeepClone();
        }
    }
}
