using System.Diagnostics;
using Forecast.Core.Artifacts;
using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests;

/// <summary>
/// A scratch folder for one Trainer run: writes configs and data files into it, runs the real CLI in-process (or as a
/// process), and inspects the runs it committed. Deleted on dispose.
/// </summary>
internal sealed class TrainerRun : IDisposable
{
    /// <param name="asProcess">Run the Trainer as a child process (dotnet Trainer.dll) instead of in-process.</param>
    public TrainerRun(bool asProcess = false)
    {
        AsProcess = asProcess;
        Folder = Path.Combine(Path.GetTempPath(), "forecast-trainer-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Output = Path.Combine(Folder, "output");
    }

    public bool AsProcess { get; }

    public string Folder { get; }

    public string Output { get; }

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string SampleData => FixturePath("rdatasets_monthly.csv");

    public static string DefaultConfig => FixturePath("default-config.yaml");

    public string Write(string name, string content)
    {
        string path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A config from the default one with data and output pointing into this folder, plus extra overrides.</summary>
    public async Task<(int ExitCode, string Out, string Err)> RunDefaultAsync(string? dataPath = null, params string[] overrides)
    {
        var args = new List<string> { "--config", DefaultConfig, "--set", $"data.path={dataPath ?? SampleData}", "--set", $"run.output={Output}" };
        foreach (var o in overrides) { args.Add("--set"); args.Add(o); }
        return await RunAsync([.. args]);
    }

    /// <summary>Runs the Trainer with <paramref name="args"/>, in-process or as a process (working directory: <see cref="Folder"/>).</summary>
    public Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] args) =>
        AsProcess ? ProcessAsync(Folder, args) : InProcessAsync(args);

    public static async Task<(int ExitCode, string Out, string Err)> InProcessAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = await TrainerCli.RunAsync(args, output, errors, interactive: false);
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>The Trainer as users run it: <c>dotnet Trainer.dll args</c>, without FORECAST_CONFIG from the test's environment.</summary>
    public static async Task<(int ExitCode, string Out, string Err)> ProcessAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Trainer.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("FORECAST_CONFIG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public LocalFolderArtifactStore Store => new(Output);

    public async Task<IReadOnlyList<RunManifest>> CommittedRunsAsync() => await RunCatalog.ListCommittedAsync(Store);

    /// <summary>Every file under output/runs/ (a failed run must leave none behind).</summary>
    public IReadOnlyList<string> FilesUnderRuns()
    {
        string runs = Path.Combine(Output, "runs");
        return Directory.Exists(runs) ? Directory.GetFiles(runs, "*", SearchOption.AllDirectories) : [];
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
