using Forecast.Chronos.Checkpoints;
using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Models;

/// <summary>
/// <c>model: chronos</c> through the real Trainer CLI with the shipped configs and the official tiny checkpoints
/// (random weights: the tests check the plumbing — shapes, files, errors — not forecast accuracy).
/// </summary>
public class ChronosModelTests
{
    private static string Config(string name) => TrainerRun.FixturePath(Path.Combine("config", name));

    private static string Model(string name) => TrainerRun.FixturePath(Path.Combine("models", name));

    private static Task<(int ExitCode, string Out, string Err)> RunAsync(TrainerRun run, string config, string checkpoint, params string[] overrides)
    {
        var args = new List<string>
        {
            "--config", Config(config), "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}",
            "--set", $"model.chronos.checkpoint={checkpoint}", "--set", "plots.enabled=false", "--set", "eda.enabled=false",
        };
        foreach (string o in overrides) { args.Add("--set"); args.Add(o); }
        return run.RunAsync([.. args]);
    }

    [Theory]
    [InlineData("chronos-bolt.yaml", "dummy-chronos-bolt-model")]
    [InlineData("chronos-t5.yaml", "dummy-chronos-model")]
    [InlineData("chronos2.yaml", "dummy-chronos2-model")]
    public async Task EachVariantRunsEndToEndOnTheSampleData(string config, string model)
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await RunAsync(run, config, Model(model));

        code.Should().Be(0, errors + output);
        output.Should().Contain("chronos forecast");
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        var lines = await File.ReadAllLinesAsync(Path.Combine(run.Output, "runs", manifest.RunId, "forecasts.csv"));
        lines[0].Should().Be("unique_id,ds,mean,q0.1,q0.2,q0.3,q0.4,q0.5,q0.6,q0.7,q0.8,q0.9");
        lines.Should().HaveCount(1 + 9 * 18, "18 steps for each of the 9 series");
        lines.Skip(1).Should().OnlyContain(l => !l.Contains("NaN", StringComparison.Ordinal));
        manifest.Files.Should().NotContain(f => f.Path.StartsWith("model/", StringComparison.Ordinal), "nothing is fine-tuned");

        // The run names its model by identity, so bolt, t5 and chronos2 runs (and checkpoints) are different models.
        var summary = await new Core.Artifacts.RunReader(run.Store).GetSummaryAsync(manifest.RunId);
        string variant = File.ReadLines(Config(config)).Select(l => l.Trim()).First(l => l.StartsWith("variant:", StringComparison.Ordinal))["variant:".Length..].Split('#')[0].Trim();
        summary!.ModelIdentity.Should().Be(new Core.Models.ModelIdentity("chronos", variant, Model(model)));
        summary.Model.Should().Be($"chronos/{variant}@{Model(model)}");
    }

    [Fact]
    public async Task FineTunedBoltCheckpointIsWrittenAndLoadsBack()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await RunAsync(run, "chronos-bolt.yaml", Model("dummy-chronos-bolt-model"),
            "model.chronos.fine_tune.enabled=true", "model.chronos.fine_tune.steps=3", "model.chronos.fine_tune.min_past=12",
            "model.chronos.fine_tune.validation_interval=2", "model.chronos.fine_tune.batch_size=4");

        code.Should().Be(0, errors + output);
        output.Should().Contain("chronos fine-tune");
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        manifest.Files.Select(f => f.Path).Should().Contain(["model/checkpoint/config.json", "model/checkpoint/model.safetensors"]);
        string tuned = Path.Combine(run.Output, "runs", manifest.RunId, "model", "checkpoint");

        // The saved checkpoint loads with the library and differs from the pretrained weights it started from.
        using (var pipeline = ChronosPretrained.LoadBolt(tuned))
        {
            var forecast = pipeline.ForecastSeries([[1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f]], 4, [0.5f]);
            forecast[0].Mean.Should().HaveCount(4).And.OnlyContain(v => float.IsFinite(v));
        }
        File.ReadAllBytes(Path.Combine(tuned, "model.safetensors"))
            .Should().NotEqual(File.ReadAllBytes(Path.Combine(Model("dummy-chronos-bolt-model"), "model.safetensors")));

        // ... and the Trainer runs from it like from any checkpoint folder.
        using var again = new TrainerRun();
        var (code2, output2, errors2) = await RunAsync(again, "chronos-bolt.yaml", tuned);
        code2.Should().Be(0, errors2 + output2);
    }

    [Fact]
    public async Task FineTunedChronos2CheckpointLoadsBack()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await RunAsync(run, "chronos2.yaml", Model("dummy-chronos2-model"),
            "model.chronos.fine_tune={enabled: true, steps: 2, min_past: 12, validation_interval: 0, batch_size: 4}");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        string tuned = Path.Combine(run.Output, "runs", manifest.RunId, "model", "checkpoint");
        using var pipeline = Forecast.Chronos.Chronos2.Chronos2Pretrained.Load(tuned);
        pipeline.ForecastSeries([[1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f]], 4, [0.5f])[0].Mean.Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public async Task LoraFineTunedChronos2WritesAPeftAdapterThatLoadsOntoItsBase()
    {
        using var run = new TrainerRun();
        string checkpoint = Model("dummy-chronos2-model");
        var (code, output, errors) = await RunAsync(run, "chronos2.yaml", checkpoint,
            "model.chronos.fine_tune={enabled: true, mode: lora, lora: {r: 2, alpha: 4}, steps: 2, min_past: 12, validation_interval: 0, batch_size: 4}");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        manifest.Files.Select(f => f.Path).Should().Contain(["model/adapter/adapter_config.json", "model/adapter/adapter_model.safetensors"])
            .And.NotContain("model/checkpoint/model.safetensors");
        string adapter = Path.Combine(run.Output, "runs", manifest.RunId, "model", "adapter");
        using var pipeline = Forecast.Chronos.Chronos.FromPretrained(adapter);
        pipeline.ForecastSeries([[1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f]], 4, [0.5f])[0].Mean.Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public async Task FineTunedT5CheckpointLoadsBack()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await RunAsync(run, "chronos-t5.yaml", Model("dummy-chronos-model"),
            "model.chronos.fine_tune={enabled: true, steps: 1, min_past: 12, validation_interval: 0, batch_size: 2}", "model.chronos.num_samples=4");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        manifest.Files.Select(f => f.Path).Should().Contain(["model/checkpoint/config.json", "model/checkpoint/generation_config.json", "model/checkpoint/model.safetensors"]);
        using var pipeline = ChronosPretrained.LoadT5(Path.Combine(run.Output, "runs", manifest.RunId, "model", "checkpoint"));
        pipeline.ForecastSeries([[1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f]], 4, [0.5f])[0].Mean.Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public async Task Chronos2GroupsSeriesByIdPrefixWithPastCovariates()
    {
        using var run = new TrainerRun();
        var rows = new List<string> { "unique_id,ds,y,price" };
        foreach (string id in new[] { "storeA_sales", "storeA_visits", "storeB_sales" })
            for (int t = 0; t < 60; t++)
                rows.Add(FormattableString.Invariant($"{id},{new DateTime(2020, 1, 1).AddDays(t):yyyy-MM-dd},{100 + 10 * Math.Sin(t / 3.0) + id.Length},{t % 7}"));
        string data = run.Write("stores.csv", string.Join('\n', rows));

        var (code, output, errors) = await run.RunAsync("--config", Config("chronos2.yaml"), "--set", $"data.path={data}",
            "--set", $"run.output={run.Output}", "--set", $"model.chronos.checkpoint={Model("dummy-chronos2-model")}",
            "--set", "plots.enabled=false", "--set", "eda.enabled=false", "--set", "evaluation.horizon=7", "--set", "cleaning.min_length=20",
            "--set", "data.covariates=[price]", "--set", "model.chronos.past_covariates=[price]", "--set", "model.chronos.groups.by=id_prefix");

        code.Should().Be(0, errors + output);
        output.Should().Contain("chronos forecast (tasks): 2/2", "storeA_* form one task, storeB_sales another");
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        var lines = await File.ReadAllLinesAsync(Path.Combine(run.Output, "runs", manifest.RunId, "forecasts.csv"));
        lines.Should().HaveCount(1 + 3 * 7);
    }

    [Theory]
    [InlineData("model.chronos.variant=lstm", "model.chronos.variant")]
    [InlineData("model.chronos.checkpoint=no/such/folder/here", "model.chronos.checkpoint")]
    [InlineData("model.chronos.checkpoint=null", "model.chronos.checkpoint")]
    [InlineData("model.chronos.variant=t5", "model.chronos.checkpoint")] // a Bolt checkpoint is not a T5 one
    [InlineData("model.chronos.num_samples=10", "model.chronos.num_samples")]
    [InlineData("model.chronos.dtype=float16", "model.chronos.dtype")]
    [InlineData("model.chronos.fine_tune.stepz=10", "model.chronos.fine_tune.stepz")]
    [InlineData("model.chronos.groups.by=id_prefix", "model.chronos.groups.by")]
    [InlineData("model.chronos.fine_tune.mode=lora", "model.chronos.fine_tune.mode")] // LoRA is Chronos-2's
    [InlineData("model.chronos.fine_tune.lora.r=0", "model.chronos.fine_tune.lora.r")]
    public async Task BadOptionsAreConfigErrorsNamingTheField(string setting, string field)
    {
        using var run = new TrainerRun();
        var args = new List<string>
        {
            "--config", Config("chronos-bolt.yaml"), "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}",
        };
        if (!setting.StartsWith("model.chronos.checkpoint", StringComparison.Ordinal))
            args.AddRange(["--set", $"model.chronos.checkpoint={Model("dummy-chronos-bolt-model")}"]);
        args.AddRange(["--set", setting]);
        var (code, _, errors) = await run.RunAsync([.. args]);

        code.Should().Be(ExitCodes.ConfigError, errors);
        errors.Should().Contain(field);
        run.FilesUnderRuns().Should().BeEmpty();
    }
}
