using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Pipeline;

/// <summary>
/// The bad-input list of issue 2: each input gives a message naming the file, line or field, the documented exit
/// code, and leaves no committed run (nor any file under runs/). Each runs in-process and as a separate process.
/// </summary>
public class BadInputTests
{
    private static async Task<string> ExpectFailure(TrainerRun run, int exitCode, string? dataPath, params string[] overrides)
    {
        var (code, output, errors) = await run.RunDefaultAsync(dataPath, overrides);
        code.Should().Be(exitCode, $"stdout:\n{output}\nstderr:\n{errors}");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
        run.FilesUnderRuns().Should().BeEmpty("a failed run removes what it wrote");
        errors.Should().Contain(" ERROR ");
        return errors;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RaggedRowNamesFileAndLine(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = run.Write("ragged.csv", "unique_id,ds,y\na,2020-01-01,1\na,2020-02-01,2,7\n");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("ragged.csv").And.Contain("line 3");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BadQuotingNamesFileAndLine(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = run.Write("quoting.csv", "unique_id,ds,y\na,2020-01-01,1\n\"a,2020-02-01,2\n");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("quoting.csv").And.Contain("line 3");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MissingColumnNamesTheColumn(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = run.Write("nocol.csv", "unique_id,ds,value\na,2020-01-01,1\n");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("nocol.csv").And.Contain("'y'");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnparsableTimestampNamesLineAndField(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = run.Write("time.csv", "unique_id,ds,y\na,2020-01-01,1\na,yesterday,2\n");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("time.csv").And.Contain("line 3").And.Contain("ds");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnparsableValueNamesLineAndField(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = run.Write("value.csv", "unique_id,ds,y\na,2020-01-01,1\na,2020-02-01,lots\n");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("value.csv").And.Contain("line 3").And.Contain("'y'");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EmptyFileNamesTheFile(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = run.Write("empty.csv", "");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("empty.csv").And.Contain("empty");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AllMissingSeriesNamesTheSeries(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string rows = string.Concat(Enumerable.Range(0, 48).Select(i => $"good,{new DateTime(2020, 1, 1).AddMonths(i):yyyy-MM-dd},{i}\nvoid,{new DateTime(2020, 1, 1).AddMonths(i):yyyy-MM-dd},NaN\n"));
        string data = run.Write("nan.csv", "unique_id,ds,y\n" + rows);
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("nan.csv").And.Contain("'void'");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DuplicateTimestampsNameTheSeries(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = run.Write("dup.csv", "unique_id,ds,y\na,2020-01-01,1\na,2020-01-01,2\na,2020-02-01,3\n");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("dup.csv").And.Contain("'a'").And.Contain("2020-01-01");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IrregularTimestampsNameTheSeries(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = run.Write("irregular.csv", "unique_id,ds,y\na,2020-01-01,1\na,2020-01-04,2\na,2020-01-09,3\na,2020-01-10 07:13:00,4\n");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("irregular.csv").And.Contain("'a'").And.Contain("frequency");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HorizonLongerThanTheSeriesNamesSeriesAndField(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        var errors = await ExpectFailure(run, ExitCodes.DataError, null, "evaluation.horizon=500");
        errors.Should().Contain("evaluation.horizon = 500").And.Contain("'AirPassengers' (144 points)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DataFileThatDoesNotExistNamesThePath(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        var errors = await ExpectFailure(run, ExitCodes.DataError, Path.Combine(run.Folder, "absent.csv"));
        errors.Should().Contain("absent.csv").And.Contain("data.path");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConfigFileThatDoesNotExistIsAConfigError(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        var (code, _, errors) = await run.RunAsync("--config", Path.Combine(run.Folder, "nope.yaml"));
        code.Should().Be(ExitCodes.ConfigError);
        errors.Should().Contain("nope.yaml").And.Contain("does not exist");
        run.FilesUnderRuns().Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownModelNameListsTheKnownModels(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        var errors = await ExpectFailure(run, ExitCodes.ConfigError, null, "model.name=no_such_model");
        errors.Should().Contain("--set model.name=no_such_model").And.Contain("unknown model 'no_such_model'")
            .And.Contain(string.Join(", ", Forecast.Trainer.Configuration.ModelRegistry.Default.Names));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownConfigKeyNamesLineAndColumn(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string config = run.Write("typo.yaml", $"""
            data:
              path: {TrainerRun.SampleData}
            model:
              name: naive
            evaluation:
              horizon: 12
              horizn: 12
            run:
              output: {run.Output}
            """);
        var (code, _, errors) = await run.RunAsync("--config", config);
        code.Should().Be(ExitCodes.ConfigError);
        errors.Should().Contain("typo.yaml:7:3: evaluation.horizn: unknown key");
        run.FilesUnderRuns().Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OutputFolderThatIsNotWritableIsAConfigError(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        // A regular file where the output folder should be: no folder can be created under it (this holds even for
        // root, for whom permission bits do not stop writes).
        string blocked = run.Write("blocked", "not a folder");
        var (code, _, errors) = await run.RunAsync("--config", TrainerRun.DefaultConfig,
            "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={blocked}");
        code.Should().Be(ExitCodes.ConfigError, errors);
        errors.Should().Contain("run.output").And.Contain("not writable").And.Contain("blocked");
        File.ReadAllText(blocked).Should().Be("not a folder");
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ReadOnlyOutputFolderIsAConfigError(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        // An existing folder the Trainer may not write to. Permission bits stop every user but root, so as root the
        // output is sysfs's root, which the kernel refuses to create files in even for root.
        bool root = Environment.UserName == "root";
        string output = root ? "/sys" : run.Output;
        if (!root)
        {
            Directory.CreateDirectory(output);
            File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        try
        {
            var (code, _, errors) = await run.RunDefaultAsync(null, $"run.output={output}");
            code.Should().Be(ExitCodes.ConfigError, errors);
            errors.Should().Contain("run.output").And.Contain("not writable").And.Contain(output);
            Directory.Exists(Path.Combine(output, "runs")).Should().BeFalse("nothing was written");
        }
        finally
        {
            if (!root) File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownCommandLineOptionIsAConfigError(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        var (code, _, errors) = await run.RunAsync("--confg", "x.yaml");
        code.Should().Be(ExitCodes.ConfigError);
        errors.Should().Contain("--confg");
    }
}
