namespace Forecast.AppHost.Tests;

/// <summary>A fact about the machine without Docker: skipped, saying why, where a Docker engine answers (LocalStack is then used).</summary>
public sealed class NoDockerFactAttribute : FactAttribute
{
    public NoDockerFactAttribute()
    {
        if (Forecast.AppHost.Storage.DockerEngine.Answers())
            Skip = "a Docker engine answers here, so Storage:Mode=localstack takes the LocalStack path; this test checks the failure without Docker.";
    }
}
