using Forecast.Core.Models;
using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Cli;

public class ProgressTests
{
    [Fact]
    public async Task InteractiveRunDrawsProgressBarsAndCommits()
    {
        using var run = new TrainerRun();
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = await TrainerCli.RunAsync(
            ["--config", TrainerRun.DefaultConfig, "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}"],
            output, errors, interactive: true);
        code.Should().Be(ExitCodes.Ok, errors.ToString());
        output.ToString().Should().Contain("seasonal_naive").And.Contain("100%");
        (await run.CommittedRunsAsync()).Should().ContainSingle();
    }

    [Fact]
    public void PlainProgressWritesOneLinePerTenthPerStage()
    {
        var output = new StringWriter();
        var progress = new PlainProgress(new ConsoleRunLog(output, output));
        for (int i = 1; i <= 1000; i++) progress.Report(new ForecastProgress(i, 1000, "naive"));
        progress.Report(new ForecastProgress(1, 2, "mean"));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(12, "the start, then every 10%, per stage");
        lines[0].Should().EndWith("INFO  naive: 1/1000 series (0%)");
        lines[10].Should().EndWith("INFO  naive: 1000/1000 series (100%)");
        lines[11].Should().EndWith("mean: 1/2 series (50%)");
    }
}
