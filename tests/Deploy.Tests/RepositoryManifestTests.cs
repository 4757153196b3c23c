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
}
