using Forecast.Deploy.Manifest;

namespace Forecast.Deploy.Tests;

/// <summary>Each way a deployment can be asked wrongly fails before anything is written, naming what to fix.</summary>
public class BadInputTests
{
    private static string Fixture => File.ReadAllText(SynthesizedStack.FixturePath("aspire-manifest.json"));

    private static string Synthesize(string manifestJson, DeploySettings settings)
    {
        string folder = Path.Combine(Path.GetTempPath(), "forecast-deploy-tests", Guid.NewGuid().ToString("N"));
        try
        {
            return Synthesizer.Run(AspireManifest.Parse(manifestJson, "aspire-manifest.json"), settings, folder).TemplatePath;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void An_unknown_resource_type_names_the_file_resource_and_type()
    {
        string json = Fixture.Replace("\"type\": \"container.v0\"", "\"type\": \"dapr.component.v0\"", StringComparison.Ordinal);
        var act = () => AspireManifest.Parse(json, "aspire-manifest.json");
        act.Should().Throw<DeployException>()
            .WithMessage("aspire-manifest.json: resources.s3.type: unknown resource type 'dapr.component.v0'; this deployment places project.v0, project.v1, parameter.v0, container.v0*ManifestResourceKinds.cs*");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_image_tag_is_a_named_error(string? tag)
    {
        var act = () => SynthesisRequest.Parse(["--manifest", "m.json"], _ => tag);
        act.Should().Throw<DeployException>().WithMessage("--image-tag: missing image tag;*FORECAST_IMAGE_TAG*");
    }

    [Fact]
    public void The_image_tag_comes_from_the_option_or_FORECAST_IMAGE_TAG()
    {
        SynthesisRequest.Parse([], name => name == "FORECAST_IMAGE_TAG" ? "abc123" : null).Settings.ImageTag.Should().Be("abc123");
        SynthesisRequest.Parse(["--image-tag", "v2"], _ => "abc123").Settings.ImageTag.Should().Be("v2");
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData("a:b")]
    public void An_invalid_image_tag_is_a_named_error(string tag)
    {
        var act = () => SynthesisRequest.Parse(["--image-tag", tag], _ => null);
        act.Should().Throw<DeployException>().WithMessage($"--image-tag: '{tag}' is not a valid image tag*");
    }

    [Fact]
    public void A_size_Fargate_does_not_offer_is_a_named_error_on_the_command_line()
    {
        var act = () => SynthesisRequest.Parse(["--image-tag", "t", "--size", "trainer=1024/16384"], _ => null);
        act.Should().Throw<DeployException>().WithMessage("--size trainer: Fargate does not offer 16384 MiB with 1024 CPU units; with 1024 use 2048 to 8192 in steps of 1024 MiB*");
    }

    [Fact]
    public void A_size_Fargate_does_not_offer_is_a_named_error_in_settings_too()
    {
        var settings = new DeploySettings { ImageTag = "t", Sizes = new Dictionary<string, Fargate.FargateSize> { ["evaluator"] = new(4096, 4096) } };
        var act = () => Synthesize(Fixture, settings);
        act.Should().Throw<DeployException>().WithMessage("--size evaluator: Fargate does not offer 4096 MiB with 4096 CPU units*");
    }

    [Theory]
    [InlineData(new[] { "--image-tag", "t", "--shards", "0" }, "--shards: 0 is out of range*")]
    [InlineData(new[] { "--image-tag", "t", "--shards", "4", "--max-concurrency", "5" }, "--max-concurrency: 5 is out of range*")]
    [InlineData(new[] { "--image-tag", "t", "--schedule", "every night" }, "--schedule: 'every night' is not an EventBridge schedule expression*")]
    [InlineData(new[] { "--image-tag", "t", "--stop-timeout", "300" }, "--stop-timeout: 300 s; Fargate allows 2 to 120 seconds.")]
    [InlineData(new[] { "--image-tag", "t", "--frobnicate" }, "unknown option '--frobnicate'*")]
    public void Other_bad_settings_are_named_errors(string[] args, string message)
    {
        var act = () => SynthesisRequest.Parse(args, _ => null);
        act.Should().Throw<DeployException>().WithMessage(message);
    }

    [Fact]
    public void A_placeholder_naming_no_resource_is_a_named_error()
    {
        string json = Fixture.Replace("{model-name.value}", "{modelname.value}", StringComparison.Ordinal);
        var act = () => Synthesize(json, new DeploySettings { ImageTag = "t" });
        act.Should().Throw<DeployException>().WithMessage("aspire-manifest.json: resources.trainer.env.FeatureManagement__Model__DefaultWhenEnabled: placeholder '{modelname.value}' names no resource*");
    }

    [Fact]
    public void A_manifest_without_the_trainer_is_a_named_error()
    {
        var act = () => Synthesize(Fixture, new DeploySettings { ImageTag = "t", TrainerResource = "worker" });
        act.Should().Throw<DeployException>().WithMessage("aspire-manifest.json: no project named 'worker' for the sharded job; its projects are trainer, evaluator, dashboard*");
    }

    [Fact]
    public void A_missing_or_malformed_manifest_is_a_named_error()
    {
        var missing = () => AspireManifest.Load("/nonexistent/aspire-manifest.json");
        missing.Should().Throw<DeployException>().WithMessage("/nonexistent/aspire-manifest.json: cannot read the Aspire manifest*--publisher manifest*");
        var malformed = () => AspireManifest.Parse("{\n \"resources\": [", "m.json");
        malformed.Should().Throw<DeployException>().WithMessage("m.json line *: not valid JSON*");
    }

    [Fact]
    public void Without_a_schedule_there_is_no_schedule_rule_and_sizes_can_be_changed()
    {
        var settings = new DeploySettings { ImageTag = "t", Sizes = new Dictionary<string, Fargate.FargateSize> { ["trainer"] = new(4096, 16384) } };
        string folder = Path.Combine(Path.GetTempPath(), "forecast-deploy-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var result = Synthesizer.Run(AspireManifest.Parse(Fixture, "aspire-manifest.json"), settings, folder);
            var template = Amazon.CDK.Assertions.Template.FromString(File.ReadAllText(result.TemplatePath));
            template.FindResources("AWS::Events::Rule", new Dictionary<string, object>
            {
                ["Properties"] = new Dictionary<string, object> { ["ScheduleExpression"] = Amazon.CDK.Assertions.Match.AnyValue() },
            }).Should().BeEmpty("only the run-request rule remains");
            template.ResourceCountIs("AWS::Events::Rule", 1);
            result.TaskDefinitions["forecast-trainer"]["cpu"]!.GetValue<string>().Should().Be("4096");
            result.TaskDefinitions["forecast-trainer"]["memory"]!.GetValue<string>().Should().Be("16384");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
