extern alias trainer;

using System.Globalization;
using System.Text;
using trainer::Forecast.Trainer.Cli;

namespace Forecast.Dashboard.Tests;

/// <summary>
/// Committed runs made by the real Trainer for the Dashboard tests: seasonal naive (holdout, with EDA) and naive
/// (2-window backtest) on the R datasets fixture, seasonal naive on a copy whose series "nottem" is renamed to an id
/// holding a script tag, seasonal naive on 1,200 generated series (paging), and model: auto over the baselines. Also
/// the config folder the start form offers, pointing at the fixture data; the Trainer runs publish the model catalog the form reads.
/// </summary>
public sealed class DashboardRuns : IAsyncLifetime
{
    public const string ScriptId = "<script>alert('x')</script>";
    public const int ManySeries = 1200;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "forecast-dashboard-tests-" + Guid.NewGuid().ToString("N"));
    public string Output => Path.Combine(Root, "output");
    public string ConfigFolder => Path.Combine(Root, "config");
    public string SeasonalNaiveHoldout { get; private set; } = "";
    public string NaiveBacktest { get; private set; } = "";
    public string ScriptRun { get; private set; } = "";
    public string ManySeriesRun { get; private set; } = "";
    public string AutoRun { get; private set; } = "";

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>Points of <paramref name="seriesId"/> in the fixture CSV.</summary>
    public static int FixtureLength(string seriesId) =>
        File.ReadLines(Fixture("rdatasets_monthly.csv")).Count(l => l.StartsWith(seriesId + ",", StringComparison.Ordinal));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Output);
        Directory.CreateDirectory(ConfigFolder);
        string data = Fixture("rdatasets_monthly.csv");
        SeasonalNaiveHoldout = await TrainAsync(data, "model.name=seasonal_naive", "eda.enabled=true");
        NaiveBacktest = await TrainAsync(data, "model.name=naive", "evaluation.mode=backtest", "evaluation.windows=2", "evaluation.horizon=12");

        AutoRun = await TrainAsync(data, "model.name=auto", "model.auto.candidates=[seasonal_naive, naive, mean]");

        string scriptData = Path.Combine(Root, "script_ids.csv");
        await File.WriteAllTextAsync(scriptData, (await File.ReadAllTextAsync(data)).Replace("\nnottem,", $"\n{ScriptId},", StringComparison.Ordinal));
        ScriptRun = await TrainAsync(scriptData, "model.name=seasonal_naive");

        string manyData = Path.Combine(Root, "many_series.csv");
        await File.WriteAllTextAsync(manyData, ManySeriesCsv());
        ManySeriesRun = await TrainAsync(manyData, "model.name=seasonal_naive", "evaluation.horizon=6", "cleaning.min_length=24");

        // The form's configs: the shipped ones with the data path pointing at the fixture.
        foreach (string shipped in new[] { Fixture("default-config.yaml"), Fixture(Path.Combine("config", "prophet.yaml")), Fixture(Path.Combine("config", "chronos-bolt.yaml")) })
        {
            string config = await File.ReadAllTextAsync(shipped);
            await File.WriteAllTextAsync(Path.Combine(ConfigFolder, Path.GetFileName(shipped)),
                config.Replace("path: sample-data/rdatasets_monthly.csv", $"path: {data}", StringComparison.Ordinal));
        }
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    /// <summary>Seeded random walks with a yearly cycle, 48 months each, ids s0000 ... s1199.</summary>
    private static string ManySeriesCsv()
    {
        var random = new Random(7);
        var csv = new StringBuilder("unique_id,ds,y\n");
        for (int s = 0; s < ManySeries; s++)
        {
            double level = 100 + random.NextDouble() * 50;
            for (int t = 0; t < 48; t++)
            {
                level += random.NextDouble() - 0.5;
                double y = level + 10 * Math.Sin(2 * Math.PI * t / 12);
                csv.Append(CultureInfo.InvariantCulture, $"s{s:0000},{new DateTime(2020, 1, 1).AddMonths(t):yyyy-MM-dd},{y:R}\n");
            }
        }
        return csv.ToString();
    }

    private async Task<string> TrainAsync(string data, params string[] overrides)
    {
        var before = RunFolders();
        var args = new List<string> { "--config", Fixture("default-config.yaml"), "--set", $"data.path={data}", "--set", $"run.output={Output}", "--set", "plots.enabled=false" };
        foreach (string o in overrides) { args.Add("--set"); args.Add(o); }
        using var output = new StringWriter();
        using var errors = new StringWriter();
        int code = await TrainerCli.RunAsync([.. args], output, errors, interactive: false);
        code.Should().Be(0, $"the Trainer must commit the fixture run; stderr: {errors}");
        await Task.Delay(1100); // run ids sort by start second
        return RunFolders().Except(before).Single();
    }

    private string[] RunFolders() =>
        Directory.Exists(Path.Combine(Output, "runs")) ? [.. Directory.GetDirectories(Path.Combine(Output, "runs")).Select(Path.GetFileName).OfType<string>()] : [];
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardRuns>
{
    public const string Name = "Dashboard";
}
