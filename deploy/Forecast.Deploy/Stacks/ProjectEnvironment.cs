using System.Text.RegularExpressions;
using Amazon.CDK;
using Forecast.Deploy.Manifest;

namespace Forecast.Deploy.Stacks;

/// <summary>
/// Translates a project's manifest environment and arguments from the local stack to AWS:
/// <list type="bullet">
/// <item>Aspire parameters ({p.value}) become CloudFormation parameters (NoEcho when secret);</item>
/// <item>the local S3 emulator and its settings (endpoint, emulator mode, static keys) are dropped: on Fargate the
/// stack's bucket is real S3 and credentials come from the task role through the standard AWS chain;</item>
/// <item>s3://&lt;manifest bucket&gt; URIs are rewritten to s3://&lt;stack bucket&gt;/&lt;prefix&gt;, the only place the task role may touch;</item>
/// <item>AWS_REGION is the stack's region; a project's own http target port is the container port 8080.</item>
/// </list>
/// What is dropped is recorded in <see cref="Notes"/> and printed at synthesis.
/// </summary>
public sealed class ProjectEnvironment(AspireManifest manifest, DeploySettings settings, string bucketName, Func<ManifestResource, string> parameter)
{
    /// <summary>The port ASP.NET Core listens on in the .NET container images (ASPNETCORE_HTTP_PORTS=8080).</summary>
    public const int ContainerPort = 8080;

    private static readonly HashSet<string> CredentialVariables = new(StringComparer.Ordinal) { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" };
    private const string EmulatorSettingsPrefix = "Storage__S3__";

    public List<string> Notes { get; } = [];

    public Dictionary<string, string> Environment(ManifestResource project)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in project.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            string where = $"{manifest.Source}: resources.{project.Name}.env.{name}";
            if (CredentialVariables.Contains(name)) { Notes.Add($"{project.Name}: {name} dropped (the task role gives credentials)."); continue; }
            if (name.StartsWith(EmulatorSettingsPrefix, StringComparison.Ordinal)) { Notes.Add($"{project.Name}: {name} dropped (a setting of the local S3 emulator; real S3 needs none)."); continue; }
            if (name == "AWS_REGION") { result[name] = Aws.REGION; continue; }
            string? translated = Translate(project, ManifestExpression.Parse(value, where), where, out string? why);
            if (translated is null) { Notes.Add($"{project.Name}: {name} dropped ({why})."); continue; }
            result[name] = translated;
        }
        return result;
    }

    public string[] Arguments(ManifestResource project) =>
    [
        .. project.Args.Select((arg, i) =>
        {
            string where = $"{manifest.Source}: resources.{project.Name}.args[{i}]";
            return Translate(project, ManifestExpression.Parse(arg, where), where, out string? why)
                ?? throw new DeployException($"{where}: '{arg}' cannot run on AWS ({why}); pass the value as a parameter instead.");
        }),
    ];

    private string? Translate(ManifestResource project, ManifestExpression expression, string where, out string? why)
    {
        var text = new System.Text.StringBuilder();
        why = null;
        foreach (var part in expression.Parts)
        {
            if (part.Literal is not null) { text.Append(RewriteBucket(part.Literal)); continue; }
            var target = manifest.Find(part.Resource!)
                ?? throw new DeployException($"{where}: placeholder '{{{part.Resource}.{part.Path}}}' names no resource of the manifest; regenerate aspire-manifest.json.");
            switch (target.Kind)
            {
                case ManifestResourceKind.Parameter when part.Path == "value":
                    text.Append(parameter(target));
                    break;
                case ManifestResourceKind.LocalEmulator:
                    why = $"refers to '{target.Name}', a local emulator the stack's S3 bucket replaces";
                    return null;
                case ManifestResourceKind.Project when target.Name == project.Name && part.Path!.EndsWith(".targetPort", StringComparison.Ordinal):
                    text.Append(ContainerPort);
                    break;
                case ManifestResourceKind.Project:
                    why = $"refers to the endpoint of project '{target.Name}'; service-to-service addresses need a load balancer or Cloud Map, which this stack does not create";
                    return null;
                default:
                    why = $"'{{{part.Resource}.{part.Path}}}' of a {target.Type} has no AWS equivalent here";
                    return null;
            }
        }
        return text.ToString();
    }

    /// <summary>s3://forecast or s3://forecast/x (the manifest's bucket) → s3://&lt;stack bucket&gt;/&lt;prefix&gt;[/x].</summary>
    private string RewriteBucket(string literal) =>
        Regex.Replace(literal, $@"s3://{Regex.Escape(settings.ManifestBucket)}(?=/|$|\s)", _ => $"s3://{bucketName}/{settings.BucketPrefix}"); // an evaluator: the bucket name is a CDK token with '$' in it
}
