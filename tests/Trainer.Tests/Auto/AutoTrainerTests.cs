using System.Globalization;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Tests.Auto;

/// <summary>
/// model: auto through the real Trainer on the shipped sample: the evaluation's selection never reads the holdout,
/// selection.csv holds the candidates' backtest scores, and config mistakes are config errors (exit 2) naming the key.
/// </summary>
public class AutoTrainerTests
{
    private static readonly string[] Fast =
        ["model.name=auto", "model.auto.candidates=[seasonal_naive, naive, mean]", "eda.enabled=false", "plots.enabled=false"];

    private static async Task<string> CommittedFolderAsync(TrainerRun run) =>
        Path.Combine(run.Output, "runs", (await run.CommittedRunsAsync()).Single().RunId);

    /// <summary>The sample with the last <paramref name="holdout"/> values of every series replaced by wild values.</summary>
    private static string PoisonHoldout(TrainerRun run, int holdout)
    {
        var lines = File.ReadAllLines(TrainerRun.SampleData);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var lastIndex = rows.Select((r, i) => (r[0], i)).GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => g.Max(x => x.i));
        for (int i = 0; i < rows.Count; i++)
        {
            if (i > lastIndex[rows[i][0]] - holdout)
                rows[i][2] = (double.Parse(rows[i][2], CultureInfo.InvariantCulture) * 1000 + 7).ToString(CultureInfo.InvariantCulture);
        }
        return run.Write("poisoned.csv", string.Join('\n', [lines[0], .. rows.Select(r => string.Join(',', r))]) + "\n");
    }

    [Fact]
    public async Task TheEvaluationSelectionNeverReadsTheHoldout()
    {
        using var clean = new TrainerRun();
        using var poisoned = new TrainerRun();
        (await clean.RunDefaultAsync(null, Fast)).ExitCode.Should().Be(0);
        (await poisoned.RunDefaultAsync(PoisonHoldout(poisoned, 18), Fast)).ExitCode.Should().Be(0);

        // The evaluation forecasts (every column but the actuals) and the evaluation call's selection rows are the
        // same whatever the holdout holds.
        static List<string> Forecasts(string folder) => [.. File.ReadAllLines(Path.Combine(folder, "evaluation", "forecasts.csv"))
            .Select(l => l.Split(',')).Select(f => string.Join(",", f.Take(3).Concat(f.Skip(4))))];
        string cleanFolder = await CommittedFolderAsync(clean), poisonedFolder = await CommittedFolderAsync(poisoned);
        Forecasts(poisonedFolder).Should().Equal(Forecasts(cleanFolder));

        var cleanRows = AutoForecasterTests.ReadSelection(await File.ReadAllBytesAsync(Path.Combine(cleanFolder, "model", "auto", "selection.csv")));
        var poisonedRows = AutoForecasterTests.ReadSelection(await File.ReadAllBytesAsync(Path.Combine(poisonedFolder, "model", "auto", "selection.csv")));
        cleanRows.Should().HaveCount(2 * 9, "one row per series for the holdout call and for the forecast call");
        var lastCutoff = cleanRows.GroupBy(r => r["unique_id"]).ToDictionary(g => g.Key, g => g.Max(r => r["cutoff"]));
        var evaluationRows = cleanRows.Where(r => r["cutoff"] != lastCutoff[r["unique_id"]]).ToList();
        evaluationRows.Should().HaveCount(9);
        poisonedRows.Where(r => r["cutoff"] != lastCutoff[r["unique_id"]]).Should().BeEquivalentTo(evaluationRows, o => o.WithStrictOrdering());
        poisonedRows.Where(r => r["cutoff"] == lastCutoff[r["unique_id"]]).Select(r => r["seasonal_naive"])
            .Should().NotEqual(cleanRows.Where(r => r["cutoff"] == lastCutoff[r["unique_id"]]).Select(r => r["seasonal_naive"]),
                "the forecast call's backtest does see the last 18 points");
    }

    [Fact]
    public async Task SelectionCsvHoldsTheSeasonalNaiveBacktestMaseOfEverySeries()
    {
        using var run = new TrainerRun();
        (await run.RunDefaultAsync(null, [.. Fast, "model.auto.shrinkage=0", "model.auto.windows=2"])).ExitCode.Should().Be(0);
        string folder = await CommittedFolderAsync(run);
        var rows = AutoForecasterTests.ReadSelection(await File.ReadAllBytesAsync(Path.Combine(folder, "model", "auto", "selection.csv")));

        // Recomputed from the data: holdout 18 (default config), backtest windows of 18 ending at the holdout's
        // cutoff; seasonal naive repeats the last 12 values; MASE scale from each window's history, m = 12.
        var series = File.ReadAllLines(TrainerRun.SampleData).Skip(1).Select(l => l.Split(','))
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Select(f => double.Parse(f[2], CultureInfo.InvariantCulture)).ToArray());
        const int horizon = 18, m = 12;
        foreach (var (id, values) in series)
        {
            int length = values.Length - horizon;
            var cutoffs = new[] { length - 2 * horizon, length - horizon }.Where(c => c >= 2 * m).ToList();
            var row = rows.First(r => r["unique_id"] == id);
            row["windows"].Should().Be(cutoffs.Count.ToString(CultureInfo.InvariantCulture));
            double expected = cutoffs.Select(c =>
            {
                double scale = Enumerable.Range(m, c - m).Average(t => Math.Abs(values[t] - values[t - m]));
                return Enumerable.Range(0, horizon).Average(h => Math.Abs(values[c + h] - values[c - m + h % m])) / scale;
            }).Average();
            double.Parse(row["seasonal_naive"], CultureInfo.InvariantCulture).Should().BeApproximately(expected, 1e-9 * expected, id);
            var scores = new[] { "seasonal_naive", "naive", "mean", "ensemble_mean", "ensemble_median", "ensemble_greedy" }
                .Where(o => row[o].Length > 0).ToDictionary(o => o, o => double.Parse(row[o], CultureInfo.InvariantCulture));
            row["choice"].Should().Be(scores.MinBy(s => s.Value).Key, $"{id} takes its lowest backtest score (shrinkage 0)");
        }
        File.Exists(Path.Combine(folder, "model", "auto", "summary.yaml")).Should().BeTrue();
    }

    [Fact]
    public async Task AnUnknownCandidateIsAConfigErrorNamingTheKey()
    {
        using var run = new TrainerRun();
        var (code, _, err) = await run.RunDefaultAsync(null, "model.name=auto", "model.auto.candidates=[seasonal_naive, etss]");

        code.Should().Be(ExitCodes.ConfigError);
        err.Should().Contain("model.auto.candidates").And.Contain("unknown candidate 'etss'");
        run.FilesUnderRuns().Should().BeEmpty();
    }

    [Theory]
    [InlineData("model.auto.candidates=[naive, naive]", "model.auto.candidates", "listed twice")]
    [InlineData("model.auto.candidates=[auto]", "model.auto.candidates", "unknown candidate 'auto'")]
    [InlineData("model.auto.candidates=[]", "model.auto.candidates", "lists no model")]
    [InlineData("model.auto.ensembles=[mean, stacking]", "model.auto.ensembles", "unknown ensemble 'stacking'")]
    [InlineData("model.auto.metric=rmse", "model.auto.metric", "is not one of mase, wql")]
    [InlineData("model.auto.top_k=1", "model.auto.top_k", "between 2 and")]
    [InlineData("model.auto.windows=0", "model.auto.windows", "between 1 and")]
    [InlineData("model.auto.selection=best", "model.auto.selection", "per_series, global")]
    [InlineData("model.auto.calibration=conformal", "model.auto.calibration", "is not one of none, scale")]
    [InlineData("model.auto.warm_start=sometimes", "model.auto.warm_start", "must be true or false")]
    [InlineData("model.auto.window=3", "model.auto.window", "unknown key")]
    public void BadAutoSettingsAreConfigProblemsNamingTheKey(string setting, string key, string message)
    {
        var act = () => ConfigLoader.Parse("data: { path: a.csv }\nevaluation: { horizon: 3 }\nmodel: { name: auto }", "auto.yaml", [setting]);

        var problem = act.Should().Throw<ConfigException>().Which.Problems.Should().ContainSingle().Subject;
        problem.Key.Should().Be(key);
        problem.Message.Should().Contain(message);
    }

    [Fact]
    public void WarmStartIsOnUnlessTheConfigTurnsItOff()
    {
        static object? WarmStart(params string[] overrides)
        {
            var config = ConfigLoader.Parse("data: { path: a.csv }\nevaluation: { horizon: 3 }\nmodel: { name: auto }", "auto.yaml", overrides);
            var section = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)config.Resolved["model"]!)["auto"]!;
            return section["warm_start"];
        }

        WarmStart().Should().Be(true);
        WarmStart("model.auto.warm_start=false").Should().Be(false);
    }

    [Fact]
    public void CandidatesDefaultToTheClassicalModelsAndProphetAndAddChronosWhenACheckpointIsConfigured()
    {
        static IReadOnlyList<string> Candidates(string model)
        {
            var config = ConfigLoader.Parse($"data: {{ path: a.csv }}\nevaluation: {{ horizon: 3 }}\nmodel: {model}", "auto.yaml", []);
            var section = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)config.Resolved["model"]!)["auto"]!;
            return (IReadOnlyList<string>)section["candidates"]!;
        }
        var available = Trainer.Auto.AutoSettings.DefaultCandidates.Where(ModelRegistry.Default.Names.Contains).ToList();

        Candidates("{ name: auto }").Should().Equal(available);
        string checkpoint = TrainerRun.FixturePath(Path.Combine("models", "dummy-chronos-bolt-model"));
        Candidates($"{{ name: auto, chronos: {{ checkpoint: {checkpoint} }} }}").Should().Equal([.. available, "chronos"]);
    }

    [Fact]
    public void ACandidateTakesItsOptionsFromItsOwnModelSection()
    {
        var config = ConfigLoader.Parse("""
            data: { path: a.csv }
            evaluation: { horizon: 3 }
            model: { name: auto, auto: { candidates: [seasonal_naive] }, seasonal_naive: { season_length: 7 } }
            """, "auto.yaml", []);

        var auto = config.Model.Create(new ModelContext(1)).Should().BeOfType<Trainer.Auto.AutoForecaster>().Subject;
        auto.Settings.Candidates.Should().Equal("seasonal_naive");
        var model = (IReadOnlyDictionary<string, object?>)config.Resolved["model"]!;
        ((IReadOnlyDictionary<string, object?>)model["seasonal_naive"]!)["season_length"].Should().Be(7);
    }
}
