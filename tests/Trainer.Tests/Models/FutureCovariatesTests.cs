using System.Globalization;
using System.Text;
using Forecast.Core.Evaluation;
using Forecast.Core.Series;
using Forecast.Prophet;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Models;

namespace Forecast.Trainer.Tests.Models;

/// <summary>
/// Future covariates through the real Trainer CLI: prophet's extra regressors and Chronos-2's future_covariates,
/// history from the data's covariate column, evaluation windows from the data, the final forecast from
/// data.future_covariates_path. The covariate is a deterministic calendar feature, <c>promo</c> = 1 every fifth month
/// (months since 2015-01 divisible by 5), which no yearly seasonality can explain.
/// </summary>
public class FutureCovariatesTests
{
    private const int Months = 60, Horizon = 6;
    private static readonly string[] Ids = ["s1", "s2", "s3"];
    private static readonly DateTime Start = new(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static double Promo(int t) => t % 5 == 0 ? 1 : 0;

    private static string Date(int t) => Start.AddMonths(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string History()
    {
        var csv = new StringBuilder("unique_id,ds,y,promo\n");
        for (int k = 0; k < Ids.Length; k++)
            for (int t = 0; t < Months; t++)
                csv.Append(CultureInfo.InvariantCulture, $"{Ids[k]},{Date(t)},{100 + 20 * k + 0.5 * t + 30 * Promo(t)},{Promo(t)}\n");
        return csv.ToString();
    }

    private static string Future(Func<string, int, bool>? keep = null, string columns = "unique_id,ds,promo")
    {
        var csv = new StringBuilder(columns + "\n");
        foreach (string id in Ids)
            for (int t = Months; t < Months + Horizon; t++)
                if (keep?.Invoke(id, t) ?? true)
                    csv.Append(CultureInfo.InvariantCulture, $"{id},{Date(t)},{Promo(t)}\n");
        return csv.ToString();
    }

    private static Task<(int ExitCode, string Out, string Err)> RunAsync(TrainerRun run, string config, string? futurePath, params string[] overrides)
    {
        var args = new List<string>
        {
            "--config", TrainerRun.FixturePath(Path.Combine("config", config)), "--set", $"data.path={run.Write("promo.csv", History())}",
            "--set", "data.covariates=[promo]", "--set", $"run.output={run.Output}", "--set", "plots.enabled=false", "--set", "eda.enabled=false",
            "--set", $"evaluation.horizon={Horizon}", "--set", "cleaning.min_length=24",
        };
        if (futurePath is not null) { args.Add("--set"); args.Add($"data.future_covariates_path={futurePath}"); }
        foreach (string o in overrides) { args.Add("--set"); args.Add(o); }
        return run.RunAsync([.. args]);
    }

    private static Task<(int ExitCode, string Out, string Err)> RunProphetAsync(TrainerRun run, string? futurePath) =>
        RunAsync(run, "prophet.yaml", futurePath, "model.prophet.uncertainty_samples=100", "model.prophet.seasonality_mode=additive",
            "model.prophet.regressors={promo: {prior_scale: 10, standardize: auto}}");

    private static Task<(int ExitCode, string Out, string Err)> RunChronos2Async(TrainerRun run, string? futurePath) =>
        RunAsync(run, "chronos2.yaml", futurePath,
            $"model.chronos.checkpoint={TrainerRun.FixturePath(Path.Combine("models", "dummy-chronos2-model"))}", "model.chronos.future_covariates=[promo]");

    private static async Task<Dictionary<(string Id, string Ds), double>> MeansAsync(TrainerRun run, string file)
    {
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        var lines = await File.ReadAllLinesAsync(Path.Combine(run.Output, "runs", manifest.RunId, file));
        var header = lines[0].Split(',').ToList();
        int id = header.IndexOf("unique_id"), ds = header.IndexOf("ds"), mean = header.IndexOf("mean");
        mean.Should().BePositive(lines[0]);
        return lines.Skip(1).Select(l => l.Split(','))
            .ToDictionary(c => (c[id], c[ds]), c => double.Parse(c[mean], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ProphetLearnsTheRegressorAndForecastsWithItsFutureValues()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await RunProphetAsync(run, run.Write("future.csv", Future()));

        code.Should().Be(0, errors + output);
        var future = await MeansAsync(run, "forecasts.csv");
        future.Should().HaveCount(Ids.Length * Horizon);
        // Month 60 (2020-01) and 65 (2020-06) are promo months: the fitted +30 effect lifts them above their neighbours.
        foreach (string id in Ids)
        {
            future[(id, Date(60))].Should().BeGreaterThan(future[(id, Date(61))] + 15, $"series {id} has promo in {Date(60)}");
            future[(id, Date(65))].Should().BeGreaterThan(future[(id, Date(64))] + 15, $"series {id} has promo in {Date(65)}");
        }

        // The holdout window took the promo values of the data over the window, so it too has the lift.
        var holdout = await MeansAsync(run, Path.Combine("evaluation", "forecasts.csv"));
        holdout[("s1", Date(55))].Should().BeGreaterThan(holdout[("s1", Date(56))] + 15);
        var manifest = (await run.CommittedRunsAsync())[0];
        string json = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "model", "prophet", "s1.json"));
        ProphetSerializer.ModelFromJson(json).ExtraRegressors.Select(r => r.Name).Should().Equal("promo");
    }

    [Fact]
    public async Task Chronos2RunsWithFutureCovariates()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await RunChronos2Async(run, run.Write("future.csv", Future()));

        code.Should().Be(0, errors + output);
        var future = await MeansAsync(run, "forecasts.csv");
        future.Should().HaveCount(Ids.Length * Horizon);
        future.Values.Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void Chronos2TasksCarryTheFutureValuesAsTheReferenceDictInput()
    {
        var timestamps = Enumerable.Range(0, 12).Select(t => Start.AddMonths(t)).ToArray();
        var series = new TimeSeries("s1", timestamps, [.. Enumerable.Range(0, 12).Select(t => (double)t)])
        {
            Covariates = new Dictionary<string, double[]> { ["promo"] = [.. Enumerable.Range(0, 12).Select(Promo)] },
            Frequency = Frequency.MonthlyStart,
        };

        var history = ChronosSeriesFrames.History([series], ChronosGrouping.None, "_", [], ["promo"]);
        var future = ChronosSeriesFrames.Future([series], 3, ["promo"], (id, column) => [1, 0, 0]);
        var tasks = Forecast.Chronos.Chronos2.Chronos2FrameTasks.Build(history, 3, new Forecast.Chronos.Frames.FrameForecastOptions { Future = future });

        var task = tasks.Tasks.Should().ContainSingle().Subject;
        task.PastCovariates["promo"].Should().Equal([.. Enumerable.Range(0, 12).Select(t => (float)Promo(t))]);
        task.FutureCovariates["promo"].Should().Equal(1f, 0f, 0f);
    }

    [Fact]
    public void EvaluationWindowsCarryTheCovariatesOverTheWindow()
    {
        var timestamps = Enumerable.Range(0, 20).Select(t => Start.AddMonths(t)).ToArray();
        var series = new TimeSeries("s1", timestamps, new double[20])
        {
            Covariates = new Dictionary<string, double[]> { ["promo"] = [.. Enumerable.Range(0, 20).Select(Promo)] },
        };

        var windows = EvaluationSplitter.Split([series], new EvaluationOptions { Horizon = 3, Mode = EvaluationMode.Backtest, Windows = 2, Step = 3 });

        windows[0].FutureCovariates!["s1"]["promo"].Should().Equal(Promo(14), Promo(15), Promo(16));
        windows[1].FutureCovariates!["s1"]["promo"].Should().Equal(Promo(17), Promo(18), Promo(19));
    }

    [Fact]
    public async Task WithoutAFutureFileTheConfigErrorNamesTheKey()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await RunProphetAsync(run, futurePath: null);

        code.Should().Be(ExitCodes.ConfigError, errors + output);
        errors.Should().Contain("data.future_covariates_path").And.Contain("model.prophet.regressors");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AMissingFutureRowIsADataErrorNamingFileLineAndSeries()
    {
        using var run = new TrainerRun();
        string path = run.Write("future.csv", Future(keep: (id, t) => !(id == "s2" && t == 62)));
        var (code, output, errors) = await RunChronos2Async(run, path);

        code.Should().Be(ExitCodes.DataError, errors + output);
        errors.Should().Contain(path).And.Contain("line").And.Contain("'s2'").And.Contain(Date(62)).And.Contain("promo");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AMissingFutureColumnIsADataErrorNamingTheColumn()
    {
        using var run = new TrainerRun();
        string path = run.Write("future.csv", "unique_id,ds,price\ns1,2020-01-01,1\n");
        var (code, output, errors) = await RunProphetAsync(run, path);

        code.Should().Be(ExitCodes.DataError, errors + output);
        errors.Should().Contain(path).And.Contain("line 1").And.Contain("'promo'");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AMissingFutureValueIsADataErrorNamingLineSeriesAndColumn()
    {
        using var run = new TrainerRun();
        string path = run.Write("future.csv", Future().Replace($"s3,{Date(61)},0", $"s3,{Date(61)},", StringComparison.Ordinal));
        var (code, output, errors) = await RunProphetAsync(run, path);

        code.Should().Be(ExitCodes.DataError, errors + output);
        errors.Should().Contain(path).And.Contain("line 15").And.Contain("'s3'").And.Contain("'promo'");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("chronos-bolt.yaml", "dummy-chronos-bolt-model", "model.chronos.future_covariates=[promo]", "covariates need variant chronos2")]
    [InlineData("chronos2.yaml", "dummy-chronos2-model", "model.chronos.past_covariates=[promo]", "also under past_covariates")]
    public async Task FutureCovariatesOfChronosAreCheckedWithTheConfig(string config, string model, string extra, string message)
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await RunAsync(run, config, run.Write("future.csv", Future()),
            $"model.chronos.checkpoint={TrainerRun.FixturePath(Path.Combine("models", model))}", "model.chronos.future_covariates=[promo]", extra);

        code.Should().Be(ExitCodes.ConfigError, errors + output);
        errors.Should().Contain("model.chronos.future_covariates").And.Contain(message);
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }
}
