using Forecast.Deploy.Manifest;

namespace Forecast.Deploy.Tests;

/// <summary>The repository's own aspire-manifest.json (written by the AppHost) synthesizes into valid task definitions.</summary>
public class RepositoryManifestTests
{
    [BotocoreFact, Trait("Requires", "botocore")]
    public void The_repository_manifest_synthesizes_into_valid_task_definitions()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "repository", "aspire-manifest.json");
        File.Exists(path).Should().BeTrue("the AppHost's published manifest is part of the repository");
        string folder = Path.Combine(Path.GetTempPath(), "forecast-deploy-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var result = Synthesizer.Run(AspireManifest.Load(path), new DeploySettings { ImageTag = "test" }, folder);
            result.TaskDefinitions.Should().ContainKey("forecast-trainer");
            var (code, output) = TaskDefinitionValidationTests.Validate([.. result.TaskDefinitionPaths]);
            code.Should().Be(0, output);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void The_repository_dashboard_only_writes_run_requests_and_the_bucket_rule_starts_the_job_on_them()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "repository", "aspire-manifest.json");
        string folder = Path.Combine(Path.GetTempPath(), "forecast-deploy-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var result = Synthesizer.Run(AspireManifest.Load(path), new DeploySettings { ImageTag = "test" }, folder);
            var environment = result.TaskDefinitions["forecast-dashboard"]["containerDefinitions"]![0]!["environment"]!.AsArray()
                .ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
            environment.Should().Contain("Trainer__Launch", "Request", "the AppHost publishes the Dashboard as a request writer");
            environment["Dashboard__ArtifactRoot"].Should().MatchRegex("^s3://[a-z0-9-]+/forecast$", "requests go to <bucket>/forecast/requests/, where the rule looks");
            string template = File.ReadAllText(result.TemplatePath);
            template.Should().Contain("\"Sid\": \"WriteRunRequests\"").And.Contain("\"prefix\": \"forecast/requests/\"");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
