using Forecast.Prophet;
using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Models;

/// <summary><c>model: prophet</c> through the real Trainer CLI on the shipped sample data and config.</summary>
public class ProphetModelTests
{
    private static string ShippedConfig => TrainerRun.FixturePath(Path.Combine("config", "prophet.yaml"));

    [Fact]
    public async Task ShippedConfigRunsAndWritesProphetJsonPerSeries()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunAsync("--config", ShippedConfig, "--set", $"data.path={TrainerRun.SampleData}",
            "--set", $"run.output={run.Output}", "--set", "plots.enabled=false", "--set", "model.prophet.uncertainty_samples=200");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        var modelFiles = manifest.Files.Where(f => f.Path.StartsWith("model/prophet/", StringComparison.Ordinal) && f.Path.EndsWith(".json", StringComparison.Ordinal)).ToList();
        modelFiles.Should().HaveCount(9, "one prophet model_to_json file per series of the sample data");
        output.Should().Contain("prophet fit: 9/9 series");

        // Every fit of the run (the holdout window, then the forecast beyond the data) in model/prophet/diagnostics.csv,
        // each at the optimum (KKT residual within tolerance), so the run log carries no warning about it.
        var diagnostics = await File.ReadAllLinesAsync(Path.Combine(run.Output, "runs", manifest.RunId, "model", "prophet", "diagnostics.csv"));
        diagnostics[0].Should().Be("call,unique_id,fit_mode,algorithm,iterations,return_code,log_posterior,kkt_residual,kkt_tolerance,at_optimum,fit_ms");
        var rows = diagnostics.Skip(1).Select(l => l.Split(',')).ToList();
        rows.Should().HaveCount(18, "9 series fitted twice");
        rows.Select(r => r[0]).Distinct().Should().Equal("1", "2");
        rows.Should().OnlyContain(r => r[2] == "exact" && r[3] == "GaussNewtonL1" && r[9] == "true", "the shipped config is multiplicative");
        rows.Should().OnlyContain(r => double.Parse(r[7], System.Globalization.CultureInfo.InvariantCulture) <= double.Parse(r[8], System.Globalization.CultureInfo.InvariantCulture));
        (output + errors).Should().NotContain("stopped short of the optimum");

        // The saved model loads back and predicts: model_to_json → model_from_json round trip.
        string json = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "model", "prophet", "AirPassengers.json"));
        var model = ProphetSerializer.ModelFromJson(json);
        var forecast = model.Predict(model.MakeFutureDataFrame(18, FutureFrequency.Month, includeHistory: false));
        forecast.Yhat.Should().HaveCount(18).And.OnlyContain(v => v > 300 && v < 800, "AirPassengers continues around its 1960 level");
    }

    [Fact]
    public async Task ForecastsHaveOrderedQuantilesAroundTheMean()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunAsync("--config", ShippedConfig, "--set", $"data.path={TrainerRun.SampleData}",
            "--set", $"run.output={run.Output}", "--set", "plots.enabled=false", "--set", "eda.enabled=false",
            "--set", "model.prophet.uncertainty_samples=300", "--set", "evaluation.quantiles=[0.1,0.5,0.9]");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        string folder = Path.Combine(run.Output, "runs", manifest.RunId);
        string forecastFile = Path.Combine(folder, "forecasts.csv");
        var lines = await File.ReadAllLinesAsync(forecastFile);
        var header = lines[0].Split(',');
        int lo = Array.FindIndex(header, h => h == "q0.1");
        int hi = Array.FindIndex(header, h => h == "q0.9");
        lo.Should().BeGreaterThan(0, string.Join(",", header));
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            double.Parse(cells[lo], System.Globalization.CultureInfo.InvariantCulture)
                .Should().BeLessThan(double.Parse(cells[hi], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>fit_mode: r_compatible fits every series as R prophet 1.0 would (rstan's optimiser and arithmetic).</summary>
    [Fact]
    public async Task RCompatibleFitModeIsUsedAndRecorded()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunAsync("--config", ShippedConfig, "--set", $"data.path={TrainerRun.SampleData}",
            "--set", $"run.output={run.Output}", "--set", "plots.enabled=false", "--set", "eda.enabled=false",
            "--set", "model.prophet.uncertainty_samples=100", "--set", "model.prophet.fit_mode=r_compatible");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        string folder = Path.Combine(run.Output, "runs", manifest.RunId);
        (await File.ReadAllTextAsync(Path.Combine(folder, "config.yaml"))).Should().Contain("fit_mode: r_compatible");

        // rstan stops short of the mode at the changepoint kinks: the diagnostics show it and the run log says why.
        var diagnostics = (await File.ReadAllLinesAsync(Path.Combine(folder, "model", "prophet", "diagnostics.csv"))).Skip(1).Select(l => l.Split(',')).ToList();
        diagnostics.Should().HaveCount(18).And.OnlyContain(r => r[2] == "r_compatible");
        diagnostics.Should().Contain(r => r[9] == "false");
        (output + errors).Should().Contain("stopped short of the optimum").And.Contain("expected with fit_mode: r_compatible");

        // The saved AirPassengers model is the R-compatible fit of its history (the final fit on the full series).
        var saved = ProphetSerializer.ModelFromJson(await File.ReadAllTextAsync(Path.Combine(folder, "model", "prophet", "AirPassengers.json")));
        var refit = new Forecast.Prophet.Prophet(saved.Options).Fit(saved.History!, new ProphetFitOptions { Mode = ProphetFitMode.RCompatible });
        saved.Params!.K.Should().Be(refit.Params!.K);
        saved.Params.Beta.Should().Equal(refit.Params.Beta);
    }

    [Theory]
    [InlineData("model.prophet.growth=logistic", "model.prophet.cap")]
    [InlineData("model.prophet.yearly_seasonality=sometimes", "model.prophet.yearly_seasonality")]
    [InlineData("model.prophet.holidays.country=XX", "model.prophet.holidays.country")]
    [InlineData("model.prophet.holidays.table=no-such-holidays.csv", "model.prophet.holidays.table")]
    [InlineData("model.prophet.scaling=log", "model.prophet.scaling")]
    [InlineData("model.prophet.seasonalities={monthly: {period: 30.5}}", "model.prophet.seasonalities.monthly.fourier_order")]
    [InlineData("model.prophet.changepoint_prior_scal=0.1", "model.prophet.changepoint_prior_scal")]
    [InlineData("model.prophet.fit_mode=fast", "model.prophet.fit_mode")]
    public async Task BadOptionsAreConfigErrorsNamingTheField(string setting, string field)
    {
        using var run = new TrainerRun();
        var (code, _, errors) = await run.RunAsync("--config", ShippedConfig, "--set", $"data.path={TrainerRun.SampleData}",
            "--set", $"run.output={run.Output}", "--set", setting);

        code.Should().Be(ExitCodes.ConfigError);
        errors.Should().Contain(field);
        run.FilesUnderRuns().Should().BeEmpty();
    }

    [Fact]
    public async Task HolidayTableAndCustomSeasonalityAreUsed()
    {
        using var run = new TrainerRun();
        string table = run.Write("holidays.csv", "holiday,ds,lower_window,upper_window\nsummer,1958-07-01,0,0\nsummer,1959-07-01,0,0\nsummer,1960-07-01,0,0\n");
        var (code, output, errors) = await run.RunAsync("--config", ShippedConfig, "--set", $"data.path={TrainerRun.SampleData}",
            "--set", $"run.output={run.Output}", "--set", "plots.enabled=false", "--set", "eda.enabled=false",
            "--set", "model.prophet.uncertainty_samples=100", "--set", $"model.prophet.holidays.table={table}",
            "--set", "model.prophet.seasonalities={quarterly: {period: 91.3125, fourier_order: 2}}");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        string json = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "model", "prophet", "AirPassengers.json"));
        var model = ProphetSerializer.ModelFromJson(json);
        model.Seasonalities.Select(s => s.Name).Should().Contain("quarterly");
        json.Should().Contain("summer");
    }
}
