namespace Forecast.AppHost.Tests;

/// <summary>The Evaluator and the Dashboard in the AppHost graph: they read the bucket, wait for it, and have health checks and links.</summary>
public sealed class EvaluatorDashboardGraphTests
{
    [Fact]
    public async Task Evaluator_and_dashboard_read_the_bucket_wait_for_it_and_are_health_checked()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["Storage:Mode=s3rver"], timeout.Token);

        var evaluator = builder.Resources.Single(r => r.Name == "evaluator");
        var dashboard = builder.Resources.Single(r => r.Name == "dashboard");
        foreach (var service in new[] { evaluator, dashboard })
        {
            service.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Should().Contain("bucket");
            service.Annotations.OfType<HealthCheckAnnotation>().Should().NotBeEmpty("/health is probed before the service counts as running");
            service.Annotations.OfType<ResourceUrlsCallbackAnnotation>().Should().NotBeEmpty("the Aspire dashboard shows named links");
        }

        var environment = await EnvironmentOf((IResourceWithEnvironment)dashboard);
        environment.Should().Contain("Dashboard__ArtifactRoot", "s3://forecast").And.Contain("Storage__S3__EmulatorMode", "true");
        environment.Keys.Should().Contain(k => k.StartsWith("services__evaluator__", StringComparison.Ordinal), "the Dashboard links to the Evaluator's OpenAPI document");
        (await EnvironmentOf((IResourceWithEnvironment)evaluator)).Should().Contain("ArtifactStore__Root", "s3://forecast");
    }

    private static async Task<Dictionary<string, string>> EnvironmentOf(IResourceWithEnvironment resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>()) await callback.Callback(context);
        return context.EnvironmentVariables.ToDictionary(v => v.Key, v => v.Value switch
        {
            string text => text,
            ReferenceExpression expression => expression.ValueExpression, // "s3://forecast" when it holds no endpoint
            var other => other.ToString() ?? "",
        });
    }
}
