using Amazon.CDK.Assertions;
using Forecast.Deploy;
using Forecast.Deploy.Manifest;

namespace Forecast.Deploy.Tests;

/// <summary>
/// The fixture manifest synthesized once for the tests that read it (a synthesis starts CDK's node kernel; sharing it
/// keeps the suite quick): 3 shards at most 2 at a time, a nightly schedule, into a temporary folder deleted afterwards.
/// </summary>
public sealed class SynthesizedStack : IDisposable
{
    public const string Tag = "1.2.3";

    public SynthesizedStack()
    {
        Folder = Path.Combine(Path.GetTempPath(), "forecast-deploy-tests", Guid.NewGuid().ToString("N"));
        Manifest = AspireManifest.Load(FixturePath("aspire-manifest.json"));
        Result = Synthesizer.Run(Manifest, new DeploySettings { ImageTag = Tag, Shards = 3, MaxConcurrency = 2, Schedule = "cron(0 2 * * ? *)" }, Folder);
        Template = Template.FromString(File.ReadAllText(Result.TemplatePath));
        Json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Result.TemplatePath))!.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public string Folder { get; }

    public AspireManifest Manifest { get; }

    public SynthesisResult Result { get; }

    public Template Template { get; }

    /// <summary>The template's text, compact, for checks across resources.</summary>
    public string Json { get; }

    /// <summary>The state machine's definition as Step Functions receives it (Fn::Join resolved with placeholders).</summary>
    public System.Text.Json.Nodes.JsonObject StateMachineDefinition()
    {
        var template = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Result.TemplatePath))!.AsObject();
        var machine = template["Resources"]!.AsObject().Single(r => r.Value!["Type"]!.GetValue<string>() == "AWS::StepFunctions::StateMachine").Value!;
        string definition = new Output.CloudFormationPlaceholders(template, "Forecast").Resolve(machine["Properties"]!["DefinitionString"])!.GetValue<string>();
        return System.Text.Json.Nodes.JsonNode.Parse(definition)!.AsObject();
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SynthesizedStackCollection : ICollectionFixture<SynthesizedStack>
{
    public const string Name = "synthesized stack";
}
