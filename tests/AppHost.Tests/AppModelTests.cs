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
    public async Task Localstack_mode_without_docker_fails_at_once_in_one_line_naming_the_way_out()
    {
        // The AppHost as `dotnet run --project AppHost -- Storage:Mode=localstack` runs it: its own process.
        var (exitCode, output, errors) = await AppHostProcess.RunAsync("Storage:Mode=localstack");

        exitCode.Should().Be(1, output + errors);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle("a start-up failure is one line, never a stack trace").Which.Should()
            .StartWith("The Forecast stack cannot start:").And.Contain("no Docker engine answers").And.Contain("Storage:Mode=s3rver");
        (output + errors).Should().NotContain("   at ", "no stack trace");
    }

    [Fact]
    public async Task An_unknown_storage_mode_is_one_line_too()
    {
        var (exitCode, output, errors) = await AppHostProcess.RunAsync("Storage:Mode=minio");

        exitCode.Should().Be(1);
        errors.Trim().Should().NotContain("\n").And.Contain("Storage:Mode is 'minio'").And.Contain("use auto, localstack or s3rver");
        (output + errors).Should().NotContain("   at ");
    }

    [Fact]
    public void Without_configured_ports_the_apphost_takes_free_ones_and_keeps_configured_ones()
    {
        var args = LocalPorts.WithFreePorts(["ASPNETCORE_URLS=http://localhost:15180"], _ => null);

        args.Should().Contain("ASPNETCORE_URLS=http://localhost:15180");
        foreach (string setting in new[] { "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL" })
            args.Should().ContainSingle(a => a.StartsWith(setting + "=http://localhost:", StringComparison.Ordinal));
        LocalPorts.WithFreePorts([], name => name == "ASPNETCORE_URLS" ? "http://localhost:1" : null)
            .Should().NotContain(a => a.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal), "the environment's setting stays");
    }

    [Fact]
    public async Task The_web_services_take_free_ports_unless_configured_and_the_s3rver_folder_is_per_user_and_clone()
    {
        var free = await BuildAsync();
        var fixedPort = await BuildAsync("Dashboard:Port=5190");

        Endpoint(free, "dashboard").Port.Should().BeNull("no launch profile port: the proxy takes a free one");
        Endpoint(free, "evaluator").Port.Should().BeNull();
        Endpoint(fixedPort, "dashboard").Port.Should().Be(5190);
        string folder = Forecast.AppHost.Storage.S3EmulatorExtensions.DefaultDataDirectory("/work/a/AppHost");
        folder.Should().NotBe(Forecast.AppHost.Storage.S3EmulatorExtensions.DefaultDataDirectory("/work/b/AppHost"), "two clones never share a bucket folder");
        Path.GetFileName(folder).Should().StartWith("forecast-s3rver-");
    }

    private static EndpointAnnotation Endpoint(IDistributedApplicationTestingBuilder builder, string resource) =>
        Resource(builder, resource).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");
}
