using System.Globalization;

namespace Forecast.Trainer.Tests.Models;

/// <summary><c>model: ets | arima | theta</c> through the real Trainer CLI on the shipped sample data and configs.</summary>
public class StatisticalModelTests
{
    [Theory]
    [InlineData("ets", "ETS(")]
    [InlineData("arima", "ARIMA(")]
    [InlineData("theta", "Theta")]
    public async Task ShippedConfigRunsAndRecordsEverySeriesFit(string model, string formPrefix)
    {
        using var run = new TrainerRun();
        // The sample without its 3177-month sunspot series, which alone takes most of an ARIMA run.
        string data = Path.Combine(run.Folder, "sample.csv");
        await File.WriteAllLinesAsync(data, (await File.ReadAllLinesAsync(TrainerRun.SampleData)).Where(l => !l.StartsWith("sunspot.month,", StringComparison.Ordinal)));
        var (code, output, errors) = await run.RunAsync("--config", TrainerRun.FixturePath(Path.Combine("config", model + ".yaml")),
            "--set", $"data.path={data}", "--set", $"run.output={run.Output}", "--set", "plots.enabled=false", "--set", "eda.enabled=false");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        string folder = Path.Combine(run.Output, "runs", manifest.RunId);
        var models = (await File.ReadAllLinesAsync(Path.Combine(folder, "model", model, "models.csv"))).Select(SplitCsv).ToList();
        models[0].Should().Equal("unique_id", "season_length", "model", "status", "sigma2", "aicc", "parameters");
        models.Skip(1).Should().HaveCount(8).And.OnlyContain(row => row[1] == "12" && row[2].StartsWith(formPrefix, StringComparison.Ordinal) && row[3] == "ok");

        // Quantiles are the interval bounds around the point forecast: ordered, q0.5 = mean.
        var lines = await File.ReadAllLinesAsync(Path.Combine(folder, "forecasts.csv"));
        var header = lines[0].Split(',');
        int mean = Array.IndexOf(header, "mean"), q1 = Array.IndexOf(header, "q0.1"), q5 = Array.IndexOf(header, "q0.5"), q9 = Array.IndexOf(header, "q0.9");
        lines.Skip(1).Should().HaveCount(8 * 18);
        foreach (var cells in lines.Skip(1).Select(l => l.Split(',')))
        {
            double Cell(int i) => double.Parse(cells[i], CultureInfo.InvariantCulture);
            Cell(q5).Should().Be(Cell(mean));
            Cell(q1).Should().BeLessThan(Cell(q9));
        }
    }

    /// <summary>sunspot.month has months without sunspots (zeros): multiplicative errors cannot fit it.</summary>
    [Fact]
    public async Task ASeriesTheModelCannotFitFallsBackToSeasonalNaiveAndSaysWhy()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunAsync("--config", TrainerRun.FixturePath(Path.Combine("config", "ets.yaml")),
            "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}", "--set", "plots.enabled=false", "--set", "eda.enabled=false",
            "--set", "model.ets.model=MNN");

        code.Should().Be(0, errors + output);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        var models = (await File.ReadAllLinesAsync(Path.Combine(run.Output, "runs", manifest.RunId, "model", "ets", "models.csv"))).Select(SplitCsv).ToList();
        var sunspot = models.Should().ContainSingle(r => r[0] == "sunspot.month").Subject;
        sunspot[2].Should().Be("seasonal_naive");
        sunspot[3].Should().StartWith("fallback: ").And.Contain("strictly positive");
        models.Skip(1).Where(r => r[0] != "sunspot.month").Should().OnlyContain(r => r[2] == "ETS(M,N,N)" && r[3] == "ok");
    }

    [Fact]
    public async Task OnErrorFailStopsTheRunNamingTheSeries()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunAsync("--config", TrainerRun.FixturePath(Path.Combine("config", "ets.yaml")),
            "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}", "--set", "plots.enabled=false", "--set", "eda.enabled=false",
            "--set", "model.ets.model=MNN", "--set", "model.ets.on_error=fail");

        code.Should().NotBe(0);
        (errors + output).Should().Contain("series 'sunspot.month'").And.Contain("strictly positive");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AnInvalidEtsFormIsAConfigErrorNamingTheKey()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunAsync("--config", TrainerRun.FixturePath(Path.Combine("config", "ets.yaml")),
            "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}", "--set", "model.ets.model=XYZ");

        code.Should().Be(2);
        (errors + output).Should().Contain("model.ets.model");
    }

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }
}
