using System.Globalization;
using System.Text.Json;

namespace Forecast.Deploy.Manifest;

/// <summary>
/// aspire-manifest.json, as written by <c>dotnet run --project AppHost -- --publisher manifest</c>: the resources of
/// the AppHost graph. Reading it checks every resource type against <see cref="ManifestResourceKinds.Known"/>, so a
/// manifest from a newer AppHost with something this deployment cannot place fails loudly instead of being dropped.
/// </summary>
public sealed class AspireManifest
{
    private AspireManifest(string source, IReadOnlyList<ManifestResource> resources)
    {
        Source = source;
        Resources = resources;
    }

    /// <summary>The file (or name) the manifest came from, for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<ManifestResource> Resources { get; }

    public IEnumerable<ManifestResource> Projects => Resources.Where(r => r.Kind == ManifestResourceKind.Project);

    public ManifestResource? Find(string name) => Resources.FirstOrDefault(r => r.Name == name);

    public static AspireManifest Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeployException($"{path}: cannot read the Aspire manifest ({e.Message}); generate it with `dotnet run --project AppHost -- --publisher manifest --output-path ../aspire-manifest.json` or pass --manifest <file>.", e);
        }
        return Parse(json, path);
    }

    public static AspireManifest Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DeployException($"{source} line {e.LineNumber + 1}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Object)
                throw new DeployException($"{source}: an Aspire manifest is an object with a \"resources\" object; this file has none.");
            var list = new List<ManifestResource>();
            foreach (var resource in resources.EnumerateObject())
                list.Add(ReadResource(source, resource.Name, resource.Value));
            return new AspireManifest(source, list);
        }
    }

    private static ManifestResource ReadResource(string source, string name, JsonElement element)
    {
        string where = $"{source}: resources.{name}";
        if (element.ValueKind != JsonValueKind.Object)
            throw new DeployException($"{where} is not an object.");
        string type = element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        if (!ManifestResourceKinds.Known.ContainsKey(type))
            throw new DeployException($"{where}.type: unknown resource type '{type}'; this deployment places {string.Join(", ", ManifestResourceKinds.Known.Keys)}. Remove the resource from the AppHost's publish graph (e.g. .ExcludeFromManifest()) or teach deploy/Forecast.Deploy/Manifest/ManifestResourceKinds.cs what it becomes on AWS.");

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("env", out var env) && env.ValueKind == JsonValueKind.Object)
            foreach (var variable in env.EnumerateObject())
                environment[variable.Name] = Scalar(variable.Value, $"{where}.env.{variable.Name}");

        var args = new List<string>();
        if (element.TryGetProperty("args", out var argsElement) && argsElement.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var arg in argsElement.EnumerateArray()) args.Add(Scalar(arg, $"{where}.args[{i++}]"));
        }

        var bindings = new List<ManifestBinding>();
        if (element.TryGetProperty("bindings", out var bindingsElement) && bindingsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var binding in bindingsElement.EnumerateObject())
            {
                string scheme = binding.Value.TryGetProperty("scheme", out var s) ? s.GetString() ?? "http" : "http";
                int? port = binding.Value.TryGetProperty("targetPort", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;
                bindings.Add(new ManifestBinding(binding.Name, scheme, port));
            }
        }

        ManifestParameterInput? input = null;
        if (type == "parameter.v0" && element.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty("value", out var value))
        {
            bool secret = value.TryGetProperty("secret", out var secretElement) && secretElement.ValueKind == JsonValueKind.True;
            string? fallback = value.TryGetProperty("default", out var d) && d.TryGetProperty("value", out var dv) ? dv.GetString() : null;
            input = new ManifestParameterInput(secret, fallback);
        }

        return new ManifestResource(name, type, OptionalString(element, "path"), OptionalString(element, "image"), environment, args, bindings, input);
    }

    private static string? OptionalString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Scalar(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new DeployException($"{where}: expected a string, number or boolean, found {value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)}."),
    };
}
