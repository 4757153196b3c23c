using System.Text.Json.Nodes;

namespace Forecast.Deploy.Output;

/// <summary>
/// Evaluates the CloudFormation intrinsics a synthesized task definition holds (Ref, Fn::GetAtt, Fn::Join, Fn::Select,
/// Fn::Split) with placeholder values for what only a deployment knows (account 123456789012, region us-east-1,
/// physical names), so each task definition can be written as a plain ECS RegisterTaskDefinition request and checked
/// against the ECS API model offline.
/// </summary>
public sealed class CloudFormationPlaceholders(JsonObject template, string stackName)
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";

    private readonly JsonObject _resources = template["Resources"]?.AsObject() ?? [];
    private readonly JsonObject _parameters = template["Parameters"]?.AsObject() ?? [];

    public JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray([.. array.Select(Resolve)]);
            case JsonObject obj when obj.Count == 1 && obj.First().Key is "Ref" or "Fn::GetAtt" or "Fn::Join" or "Fn::Select" or "Fn::Split":
                return Intrinsic(obj.First().Key, obj.First().Value);
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj) copy[key] = Resolve(value);
                return copy;
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? Intrinsic(string function, JsonNode? argument)
    {
        switch (function)
        {
            case "Ref":
                return Ref(argument!.GetValue<string>());
            case "Fn::GetAtt":
                var args = argument!.AsArray();
                return GetAtt(args[0]!.GetValue<string>(), args[1]!.GetValue<string>());
            case "Fn::Join":
                var join = argument!.AsArray();
                string separator = join[0]!.GetValue<string>();
                var parts = Resolve(join[1])!.AsArray().Select(p => p!.GetValue<string>());
                return string.Join(separator, parts);
            case "Fn::Select":
                var select = argument!.AsArray();
                int index = select[0] is JsonValue v && v.TryGetValue<int>(out int i) ? i : int.Parse(select[0]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
                return Resolve(select[1])!.AsArray()[index]!.DeepClone();
            case "Fn::Split":
                var split = argument!.AsArray();
                string text = Resolve(split[1])!.GetValue<string>();
                return new JsonArray([.. text.Split(split[0]!.GetValue<string>()).Select(s => (JsonNode)s)]);
            default:
                throw new InvalidOperationException(function);
        }
    }

    private JsonNode Ref(string name)
    {
        switch (name)
        {
            case "AWS::AccountId": return Account;
            case "AWS::Region": return Region;
            case "AWS::Partition": return "aws";
            case "AWS::URLSuffix": return "amazonaws.com";
            case "AWS::StackName": return stackName;
        }
        if (_parameters[name] is JsonObject parameter)
            return parameter["Default"]?.GetValue<string>() ?? $"parameter-{name}";
        var resource = _resources[name] as JsonObject
            ?? throw new DeployException($"The synthesized template refers to '{name}', which it does not define.");
        string type = resource["Type"]!.GetValue<string>();
        var properties = resource["Properties"] as JsonObject;
        return type switch
        {
            "AWS::Logs::LogGroup" => properties?["LogGroupName"]?.GetValue<string>() ?? $"/placeholder/{name}",
            "AWS::ECR::Repository" => properties?["RepositoryName"]?.GetValue<string>() ?? name.ToLowerInvariant(),
            "AWS::S3::Bucket" => $"{stackName.ToLowerInvariant()}-{name.ToLowerInvariant()}",
            _ => name,
        };
    }

    private JsonNode GetAtt(string name, string attribute)
    {
        var resource = _resources[name] as JsonObject
            ?? throw new DeployException($"The synthesized template reads {name}.{attribute} of a resource it does not define.");
        string type = resource["Type"]!.GetValue<string>();
        return (type, attribute) switch
        {
            ("AWS::IAM::Role", "Arn") => $"arn:aws:iam::{Account}:role/{name}",
            ("AWS::ECR::Repository", "Arn") => $"arn:aws:ecr:{Region}:{Account}:repository/{Ref(name).GetValue<string>()}",
            ("AWS::Logs::LogGroup", "Arn") => $"arn:aws:logs:{Region}:{Account}:log-group:{Ref(name).GetValue<string>()}:*",
            ("AWS::S3::Bucket", "Arn") => $"arn:aws:s3:::{Ref(name).GetValue<string>()}",
            _ => $"{name}-{attribute}",
        };
    }
}
