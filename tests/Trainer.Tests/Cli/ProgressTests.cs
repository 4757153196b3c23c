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
        var clock = new SteppingClock(TimeSpan.FromSeconds(1)); // a second per series: every tenth is far apart
        var progress = new PlainProgress(new ConsoleRunLog(output, output, clock), clock);
        for (int i = 1; i <= 1000; i++) progress.Report(new ForecastProgress(i, 1000, "naive"));
        progress.Report(new ForecastProgress(1, 2, "mean"));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(12, "the start, then every 10%, per stage");
        lines[0].Should().EndWith("INFO  naive: 1/1000 series (0%)");
        lines[10].Should().EndWith("INFO  naive: 1000/1000 series (100%)");
        lines[11].Should().EndWith("mean: 1/2 series (50%)");
    }

    [Fact]
    public void A_stage_over_in_a_blink_prints_its_start_and_its_end_only()
    {
        var output = new StringWriter();
        var clock = new SteppingClock(TimeSpan.FromMilliseconds(1));
        var progress = new PlainProgress(new ConsoleRunLog(output, output, clock), clock);
        for (int i = 1; i <= 9; i++) progress.Report(new ForecastProgress(i, 9, "prophet"));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().EndWith("prophet: 1/9 series (11%)");
        lines[1].Should().EndWith("prophet: 9/9 series (100%)");
    }

    /// <summary>A clock that moves on by a fixed step each time it is read.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now += step;
    }
}
