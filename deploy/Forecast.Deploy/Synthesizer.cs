using System.Text.Json.Nodes;
using Amazon.CDK;
using Forecast.Deploy.Manifest;
using Forecast.Deploy.Output;
using Forecast.Deploy.Stacks;

namespace Forecast.Deploy;

/// <summary>What one synthesis wrote: the template, the task definitions (by family) and the translation notes.</summary>
public sealed record SynthesisResult(string TemplatePath, IReadOnlyList<string> TaskDefinitionPaths, IReadOnlyList<string> Notes,
    JsonObject Template, IReadOnlyDictionary<string, JsonObject> TaskDefinitions);

/// <summary>
/// Builds <see cref="ForecastStack"/> from the manifest in a CDK App and synthesizes it offline (CDK runs its jsii
/// kernel on node; nothing calls AWS). Writes &lt;out&gt;/&lt;stack&gt;.template.json, &lt;out&gt;/task-definitions/&lt;family&gt;.json
/// and the CDK cloud assembly in &lt;out&gt;/cdk.out (deployable with `cdk deploy --app &lt;out&gt;/cdk.out` or the template
/// with `aws cloudformation deploy`).
/// </summary>
public static class Synthesizer
{
    public static SynthesisResult Run(SynthesisRequest request) =>
        Run(AspireManifest.Load(request.ManifestPath), request.Settings, request.OutputFolder);

    public static SynthesisResult Run(AspireManifest manifest, DeploySettings settings, string outputFolder)
    {
        string cloudAssembly = Path.Combine(outputFolder, "cdk.out");
        if (Directory.Exists(cloudAssembly)) Directory.Delete(cloudAssembly, recursive: true);
        // jsii prints a banner for node majors past end of life (Debian 12 ships 18, this machine and CI's nodesource
        // have 20); synthesis works on both. The variable lists the majors to keep quiet about (jsii's checkNode).
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20");
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1");
        var app = new App(new AppProps { Outdir = cloudAssembly, AnalyticsReporting = false });
        var stack = new ForecastStack(app, manifest, settings);
        app.Synth();

        string synthesized = Path.Combine(cloudAssembly, $"{stack.StackName}.template.json");
        string templatePath = Path.Combine(outputFolder, $"{stack.StackName}.template.json");
        File.Copy(synthesized, templatePath, overwrite: true);
        var template = JsonNode.Parse(File.ReadAllText(templatePath))!.AsObject();

        var taskDefinitions = TaskDefinitionExporter.Export(template, stack.StackName);
        string taskFolder = Path.Combine(outputFolder, "task-definitions");
        if (Directory.Exists(taskFolder)) Directory.Delete(taskFolder, recursive: true);
        TaskDefinitionExporter.WriteAll(taskDefinitions, taskFolder);
        return new SynthesisResult(templatePath, [.. taskDefinitions.Keys.Select(f => Path.Combine(taskFolder, f + ".json"))],
            stack.Translation.Notes, template, taskDefinitions);
    }
}
