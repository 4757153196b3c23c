using System.Text.Json;
using Forecast.Core.Models;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Tests.Cli;

/// <summary>The model registry as the Dashboard sees it: `models` prints it and every committed run publishes it.</summary>
public class RegisteredModelsTests
{
    [Fact]
    public async Task The_models_command_prints_every_registered_model_with_its_variants_and_checkpoints()
    {
        var (code, output, errors) = await TrainerRun.InProcessAsync("models");

        code.Should().Be(ExitCodes.Ok, errors);
        var catalog = RegisteredModels.Parse(System.Text.Encoding.UTF8.GetBytes(output), "stdout");
        catalog.Models.Select(m => m.Name).Should().Equal(ModelRegistry.Default.Names);
        var chronos = catalog.Find("chronos")!;
        chronos.Variants.Select(v => v.Name).Should().Equal("bolt", "t5", "chronos2");
        // Every shipped chronos config's variant and checkpoint is offered, so the form can run each of them as it is.
        foreach (string config in Directory.GetFiles(TrainerRun.FixturePath("config"), "chronos*.yaml"))
        {
            var lines = File.ReadLines(config).Select(l => l.Split('#')[0].Trim()).ToList();
            string variant = lines.First(l => l.StartsWith("variant:", StringComparison.Ordinal))["variant:".Length..].Trim();
            string checkpoint = lines.First(l => l.StartsWith("checkpoint:", StringComparison.Ordinal))["checkpoint:".Length..].Trim();
            chronos.Variants.Single(v => v.Name == variant).Checkpoints.Select(c => c.Reference).Should().Contain(checkpoint, config);
        }
        catalog.Find("prophet")!.Variants.Should().BeEmpty();
    }

    [Fact]
    public async Task A_committed_run_publishes_the_catalog_beside_its_runs()
    {
        using var run = new TrainerRun();
        var (code, _, errors) = await run.RunDefaultAsync(null, "plots.enabled=false", "eda.enabled=false");

        code.Should().Be(ExitCodes.Ok, errors);
        var published = RegisteredModels.Parse(await File.ReadAllBytesAsync(Path.Combine(run.Output, "trainer", "models.json")), "models.json");
        published.Should().BeEquivalentTo(ModelRegistry.Default.Describe());
    }

    [Fact]
    public async Task Models_with_output_writes_the_catalog_there()
    {
        using var run = new TrainerRun();
        var (code, _, errors) = await TrainerRun.InProcessAsync("models", "--output", run.Output);

        code.Should().Be(ExitCodes.Ok, errors);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(run.Output, RegisteredModels.Key)));
        json.RootElement.GetProperty("models").GetArrayLength().Should().Be(ModelRegistry.Default.Names.Count);
    }
}
