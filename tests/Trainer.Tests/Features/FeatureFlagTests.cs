using System.Diagnostics;
using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Models;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Features;
using Forecast.Trainer.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;

namespace Forecast.Trainer.Tests.Features;

/// <summary>
/// The flags of docs/platform.md on the real Microsoft.FeatureManagement, and their precedence over the YAML config:
/// YAML &lt; --set &lt; a flag defined in appsettings.json &lt; the same flag in environment variables (the AppHost's way).
/// </summary>
public sealed class FeatureFlagTests
{
    private const string Yaml = """
        run: { name: flags }
        data: { path: sample.csv }
        eda: { enabled: false }
        model:
          name: seasonal_naive
          naive:
            intervals: empirical
        evaluation: { horizon: 6 }
        plots: { enabled: true }
        """;

    private static TrainerFeatures FeaturesFrom(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        services.AddFeatureManagement();
        services.AddSingleton<TrainerFeatures>();
        return services.BuildServiceProvider().GetRequiredService<TrainerFeatures>();
    }

    private static TrainerFeatures FeaturesFrom(params (string Key, string Value)[] settings) =>
        FeaturesFrom(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    private static TrainerConfig Parse(params string[] overrides) => ConfigLoader.Parse(Yaml, "flags.yaml", overrides);

    private static Task<TrainerConfig> ApplyAsync(TrainerFeatures features, params string[] overrides) =>
        FeatureOverrides.ApplyAsync(Parse(overrides), features, model => Parse([.. overrides, $"model.name={model}"]), new ListLog());

    /// <summary>The Model flag in the Microsoft feature-flag schema, as environment variables would spell its keys.</summary>
    private static (string, string)[] ModelFlag(params (string Model, int From, int To)[] allocation)
    {
        var settings = new List<(string, string)> { ("feature_management:feature_flags:0:id", "Model"), ("feature_management:feature_flags:0:enabled", "true") };
        for (int i = 0; i < allocation.Length; i++)
        {
            settings.Add(($"feature_management:feature_flags:0:variants:{i}:name", allocation[i].Model));
            settings.Add(($"feature_management:feature_flags:0:allocation:percentile:{i}:variant", allocation[i].Model));
            settings.Add(($"feature_management:feature_flags:0:allocation:percentile:{i}:from", allocation[i].From.ToString()));
            settings.Add(($"feature_management:feature_flags:0:allocation:percentile:{i}:to", allocation[i].To.ToString()));
        }
        return [.. settings];
    }

    [Fact]
    public async Task Undefined_flags_leave_the_yaml_config_as_it_is()
    {
        var config = await ApplyAsync(FeaturesFrom());

        config.Eda.Enabled.Should().BeFalse();
        config.Plots.Enabled.Should().BeTrue();
        config.Model.Name.Should().Be("seasonal_naive");
    }

    [Fact]
    public async Task Defined_switches_override_the_yaml_and_the_set_overrides()
    {
        var features = FeaturesFrom(("FeatureManagement:Plots", "false"), ("FeatureManagement:Eda", "true"));

        var config = await ApplyAsync(features, "plots.enabled=true", "eda.enabled=false");

        config.Plots.Enabled.Should().BeFalse();
        config.Eda.Enabled.Should().BeTrue();
    }

    [Fact]
    public async Task Environment_variables_override_appsettings_json()
    {
        string folder = Directory.CreateTempSubdirectory("forecast-flags-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), """{ "FeatureManagement": { "Plots": true, "Eda": true } }""");
        string prefix = $"FORECAST_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "FeatureManagement__Plots", "false");
        try
        {
            // The host's order (appsettings.json, then environment variables); a unique prefix keeps this test's variable private.
            var configuration = new ConfigurationBuilder().SetBasePath(folder).AddJsonFile("appsettings.json").AddEnvironmentVariables(prefix).Build();

            var config = await ApplyAsync(FeaturesFrom(configuration));

            config.Plots.Enabled.Should().BeFalse("the environment variable wins over appsettings.json");
            config.Eda.Enabled.Should().BeTrue("appsettings.json wins over the YAML");
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "FeatureManagement__Plots", null);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task All_series_go_to_the_challenger_at_100_percent_and_get_its_forecasts()
    {
        var config = await ApplyAsync(FeaturesFrom(ModelFlag(("naive", 0, 100))));
        var series = await SampleSeriesAsync();
        var request = new ForecastRequest(6, ForecastRequest.DefaultQuantiles);

        var routed = await config.Model.Create(new ModelContext(42)).ForecastAsync(series, request);
        var naive = await Parse("model.name=naive").Model.Create(new ModelContext(42)).ForecastAsync(series, request);

        config.Model.Name.Should().Be("naive|seasonal_naive");
        routed.Select(f => f.Id).Should().Equal(series.Select(s => s.Id));
        for (int i = 0; i < series.Count; i++) routed[i].Mean.Should().Equal(naive[i].Mean);
    }

    [Fact]
    public async Task A_percentile_split_sends_a_stable_share_of_series_to_each_model_in_input_order()
    {
        var features = FeaturesFrom(ModelFlag(("seasonal_naive", 0, 50), ("naive", 50, 100)));
        var config = await ApplyAsync(features);
        var series = await SampleSeriesAsync();
        var request = new ForecastRequest(6, ForecastRequest.DefaultQuantiles);
        var first = (ModelRouter)config.Model.Create(new ModelContext(42));
        var second = (ModelRouter)config.Model.Create(new ModelContext(42));

        var routed = await first.ForecastAsync(series, request);
        await second.ForecastAsync([.. series.Reverse()], request);

        first.Assignments.Values.Distinct().Should().BeEquivalentTo(["seasonal_naive", "naive"], "9 series split 50/50 use both models");
        second.Assignments.Should().BeEquivalentTo(first.Assignments, "the allocation hashes the unique_id, not the position");
        foreach (string model in new[] { "naive", "seasonal_naive" })
        {
            var mine = series.Where(s => first.Assignments[s.Id] == model).ToList();
            var expected = await Parse($"model.name={model}").Model.Create(new ModelContext(42)).ForecastAsync(mine, request);
            for (int i = 0; i < mine.Count; i++) routed.Single(f => f.Id == mine[i].Id).Mean.Should().Equal(expected[i].Mean);
        }
    }

    [Fact]
    public async Task A_variant_naming_an_unknown_model_is_a_config_error_before_any_work()
    {
        var apply = () => ApplyAsync(FeaturesFrom(ModelFlag(("prophet-nightly", 0, 100))));

        (await apply.Should().ThrowAsync<ConfigException>()).Which.Message.Should()
            .Contain("feature flag Model").And.Contain("prophet-nightly").And.Contain("seasonal_naive");
    }

    [Fact]
    public async Task A_disabled_model_flag_keeps_the_yaml_model_for_every_series()
    {
        var settings = ModelFlag(("naive", 0, 100)).Select(s => s.Item1.EndsWith(":enabled") ? (s.Item1, "false") : s).ToArray();
        var config = await ApplyAsync(FeaturesFrom(settings));
        var series = await SampleSeriesAsync();

        var router = (ModelRouter)config.Model.Create(new ModelContext(42));
        await router.ForecastAsync(series, new ForecastRequest(6, ForecastRequest.DefaultQuantiles));

        router.Assignments.Values.Should().OnlyContain(m => m == "seasonal_naive");
    }

    [Fact]
    public async Task The_trainer_process_reads_flags_from_its_environment()
    {
        // The real entry point (Program.cs: host, appsettings.json beside the binary, environment) as the AppHost runs it.
        using var run = new TrainerRun();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = run.Folder };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "Trainer.dll"), "--config", TrainerRun.DefaultConfig,
                     "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}", "--set", "plots.enabled=true" })
            start.ArgumentList.Add(arg);
        start.Environment["FeatureManagement__Plots"] = "false";
        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(ExitCodes.Ok, errors);
        output.Should().Contain("Feature flag Plots = False overrides plots.enabled = True");
        var manifest = (await run.CommittedRunsAsync()).Single();
        manifest.Files.Should().NotContain(f => f.Path.StartsWith("plots/"));
    }

    [Fact]
    public async Task A_routed_run_records_which_series_each_model_forecast()
    {
        using var run = new TrainerRun();
        var config = await FeatureOverrides.ApplyAsync(
            ConfigLoader.Load(TrainerRun.DefaultConfig, [$"data.path={TrainerRun.SampleData}", $"run.output={run.Output}"]),
            FeaturesFrom(ModelFlag(("seasonal_naive", 0, 50), ("naive", 50, 100))),
            model => ConfigLoader.Load(TrainerRun.DefaultConfig, [$"data.path={TrainerRun.SampleData}", $"run.output={run.Output}", $"model.name={model}"]),
            new ListLog());

        var result = await new TrainingPipeline(config, new ListLog()).RunAsync();

        string assignments = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", result.RunId, "model_assignments.yaml"));
        assignments.Should().Contain("\nseasonal_naive: [").And.StartWith("naive: [").And.Contain("AirPassengers");
        result.Manifest.Files.Should().Contain(f => f.Path == "model_assignments.yaml");
    }

    [Fact]
    public async Task A_run_records_its_effective_config_and_every_flag_with_its_source_and_what_it_changed()
    {
        using var run = new TrainerRun();
        string appsettings = run.Write("appsettings.json", """{ "FeatureManagement": { "Plots": false, "Eda": true } }""");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(appsettings)
            .AddInMemoryCollection(ModelFlag(("seasonal_naive", 0, 70), ("naive", 70, 100)).Select(s => KeyValuePair.Create(s.Item1, (string?)s.Item2)))
            .Build();
        string[] overrides = [$"data.path={TrainerRun.SampleData}", $"run.output={run.Output}", "plots.enabled=true", "eda.enabled=true"];
        var config = await FeatureOverrides.ApplyAsync(ConfigLoader.Load(TrainerRun.DefaultConfig, overrides), FeaturesFrom(configuration),
            model => ConfigLoader.Load(TrainerRun.DefaultConfig, [.. overrides, $"model.name={model}"]), new ListLog());

        var result = await new TrainingPipeline(config, new ListLog()).RunAsync();

        string folder = Path.Combine(run.Output, "runs", result.RunId);
        var effective = new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, Dictionary<string, object>>>(await File.ReadAllTextAsync(Path.Combine(folder, "config.yaml")));
        effective["plots"]["enabled"].Should().Be("false", "the Plots flag turned plots off: config.yaml says what ran");
        effective["eda"]["enabled"].Should().Be("true");
        effective["model"]["name"].Should().Be("naive|seasonal_naive");
        result.Manifest.Files.Should().NotContain(f => f.Path.StartsWith("plots/"));

        var flags = new YamlDotNet.Serialization.DeserializerBuilder()
            .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.UnderscoredNamingConvention.Instance).Build()
            .Deserialize<Dictionary<string, List<Dictionary<string, object?>>>>(await File.ReadAllTextAsync(Path.Combine(folder, "flags.yaml")))["flags"];
        flags.Select(f => f["name"]).Should().Equal("Eda", "Plots", "FineTuning", "Model");
        var plots = flags.Single(f => (string?)f["name"] == "Plots");
        plots["defined"].Should().Be("true");
        plots["value"].Should().Be("false");
        plots["source"].Should().Be("appsettings.json");
        ((List<object>)plots["changes"]!).Should().Equal("plots.enabled: true -> false");
        var eda = flags.Single(f => (string?)f["name"] == "Eda");
        ((List<object>)eda["changes"]!).Should().BeEmpty("the flag agreed with the YAML");
        flags.Single(f => (string?)f["name"] == "FineTuning")["defined"].Should().Be("false");
        var model = flags.Single(f => (string?)f["name"] == "Model");
        model["source"].Should().Be("Memory configuration");
        model["value"].Should().Be("seasonal_naive 0-70%, naive 70-100%");
        ((List<object>)model["changes"]!).Should().ContainSingle().Which.Should().Be(
            "model.name: seasonal_naive -> naive|seasonal_naive (each series' model: model_assignments.yaml; the run's model: naive|seasonal_naive)");
    }

    [Fact]
    public void Flags_set_as_environment_variables_name_the_variable_as_their_source()
    {
        string prefix = $"FORECAST_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "FeatureManagement__Eda", "false");
        Environment.SetEnvironmentVariable(prefix + "feature_management__feature_flags__0__id", "Model");
        try
        {
            var features = FeaturesFrom(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("FeatureManagement:Eda", (string?)"true")])
                .AddEnvironmentVariables(prefix).Build());

            features.SourceOf(TrainerFeatures.Eda).Should().Be("environment variable FeatureManagement__Eda", "the provider that wins is named");
            features.SourceOf(TrainerFeatures.Model).Should().Be("environment variable feature_management__feature_flags__0");
            features.SourceOf(TrainerFeatures.Plots).Should().BeNull();
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "FeatureManagement__Eda", null);
            Environment.SetEnvironmentVariable(prefix + "feature_management__feature_flags__0__id", null);
        }
    }

    private static async Task<IReadOnlyList<Core.Series.TimeSeries>> SampleSeriesAsync() =>
        SeriesCleaner.Clean((await SeriesLoader.LoadAsync(new DataOptions { Path = TrainerRun.SampleData })).Series, new CleaningOptions(), TrainerRun.SampleData).Series;

    private sealed class ListLog : IRunLog
    {
        public List<string> Lines { get; } = [];

        public void Info(string message) => Lines.Add(message);

        public void Warn(string message) => Lines.Add(message);
    }
}
