using Forecast.Deploy.Manifest;

namespace Forecast.Deploy.Tests;

/// <summary>The repository's own aspire-manifest.json (written by the AppHost) synthesizes, when it is there.</summary>
public class RepositoryManifestTests
{
    [Fact]
    public void The_repository_manifest_synthesizes_into_valid_task_definitions()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "repository", "aspire-manifest.json");
        if (!File.Exists(path)) return; // the AppHost's manifest lands with the platform branch; the fixture tests cover the rules meanwhile
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
