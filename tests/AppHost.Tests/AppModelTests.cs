namespace Forecast.AppHost.Tests;

/// <summary>The AppHost's graph as built from its configuration, without starting anything.</summary>
public sealed class AppModelTests
{
    private static async Task<IDistributedApplicationTestingBuilder> BuildAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["Storage:Mode=s3rver", .. args], timeout.Token);
    }

    private static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(r => r.Name == name);

    [Fact]
    public async Task The_graph_is_emulator_then_bucket_then_trainer()
    {
        var builder = await BuildAsync();

        var bucket = Resource(builder, "bucket");
        var trainer = Resource(builder, "trainer");
        ((IResourceWithParent)bucket).Parent.Name.Should().Be("s3");
        trainer.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Should().Contain("bucket");
        Resource(builder, "s3").Should().BeOfType<ExecutableResource>("no Docker engine answers here, or Storage:Mode=s3rver");
    }

    [Fact]
    public async Task Flags_set_in_the_apphost_reach_the_trainer_as_environment_variables()
    {
        var builder = await BuildAsync(
            "Trainer:FeatureManagement:Eda=true",
            "Trainer:FeatureManagement:Plots=false",
            "Trainer:feature_management:feature_flags:0:id=Model",
            "Trainer:feature_management:feature_flags:0:variants:0:name=naive");
        var trainer = (IResourceWithEnvironment)Resource(builder, "trainer");

        // The environment callbacks as the publisher runs them (plain values stay strings; endpoints become expressions).
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish));
        foreach (var callback in trainer.Annotations.OfType<EnvironmentCallbackAnnotation>()) await callback.Callback(context);
        var environment = context.EnvironmentVariables.Where(v => v.Value is string).ToDictionary(v => v.Key, v => (string)v.Value);

        environment.Should().Contain("FeatureManagement__Eda", "true").And.Contain("FeatureManagement__Plots", "false");
        environment.Should().Contain("feature_management__feature_flags__0__id", "Model")
            .And.Contain("feature_management__feature_flags__0__variants__0__name", "naive");
        environment.Should().Contain("Storage__S3__EmulatorMode", "true").And.Contain("AWS_ACCESS_KEY_ID", "S3RVER");
    }

    [Fact]
    public async Task The_trainer_starts_on_launch_unless_configured_to_wait_for_the_dashboards_start_command()
    {
        var onLaunch = await BuildAsync();
        var onDemand = await BuildAsync("Trainer:StartOnLaunch=false");

        Resource(onLaunch, "trainer").Annotations.OfType<ExplicitStartupAnnotation>().Should().BeEmpty();
        Resource(onDemand, "trainer").Annotations.OfType<ExplicitStartupAnnotation>().Should().ContainSingle();
    }

    [NoDockerFact]
    public async Task Localstack_mode_without_docker_fails_at_once_naming_the_way_out()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var create = () => DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["Storage:Mode=localstack"], timeout.Token);
        (await create.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("no Docker engine answers").And.Contain("Storage:Mode=s3rver");
    }
}
