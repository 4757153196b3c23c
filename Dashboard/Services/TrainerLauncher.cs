using System.Collections.Concurrent;
using System.Diagnostics;
using Forecast.Dashboard.Extensions;
using Microsoft.Extensions.Options;

namespace Forecast.Dashboard.Services;

/// <summary>
/// Starts Trainer runs as separate processes (the Dashboard never runs model code): the configured command with
/// <c>--config &lt;file&gt; --set run.output=&lt;artifact root&gt; --set model.name=...</c>. Every value is checked
/// against a closed set or a range before it reaches the command line (config files listed from the config folder,
/// models from <see cref="TrainerOptions.Models"/>), and arguments go through ArgumentList, never a shell. Running
/// processes are killed when the Dashboard stops.
/// </summary>
public sealed class TrainerLauncher(IOptions<TrainerOptions> trainerOptions, IOptions<DashboardOptions> dashboardOptions,
    IHostEnvironment environment, TimeProvider clock, ILogger<TrainerLauncher> logger) : IDisposable
{
    public const int MaxHorizon = 10_000;
    public const int MaxWindows = 100;
    public static readonly IReadOnlyList<string> EvaluationModes = ["holdout", "backtest"];

    private readonly TrainerOptions _options = trainerOptions.Value;
    private readonly ConcurrentDictionary<string, (TrainerJob Job, Process Process)> _jobs = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Models => _options.EffectiveModels;

    /// <summary>The *.yaml files directly in the config folder, by name.</summary>
    public IReadOnlyList<string> Configs()
    {
        string folder = FullPath(_options.ConfigFolder);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
    }

    public TrainerJobSnapshot? Get(string jobId) => _jobs.TryGetValue(jobId, out var entry) ? entry.Job.Snapshot() : null;

    public IReadOnlyList<TrainerJobSnapshot> Recent(int count) =>
        [.. _jobs.Values.Select(e => e.Job.Snapshot()).OrderByDescending(s => s.StartedUtc).Take(count)];

    /// <summary>Problems with <paramref name="request"/>, keyed by form field; empty when it may start.</summary>
    public Dictionary<string, string> Validate(StartRunRequest request)
    {
        var errors = new Dictionary<string, string>();
        if (!Configs().Contains(request.Config, StringComparer.Ordinal))
            errors[nameof(request.Config)] = $"Choose one of the configs in {_options.ConfigFolder}: {string.Join(", ", Configs())}.";
        if (!_options.EffectiveModels.Contains(request.Model, StringComparer.Ordinal))
            errors[nameof(request.Model)] = $"Choose one of the models: {string.Join(", ", _options.EffectiveModels)}.";
        if (request.Horizon is < 1 or > MaxHorizon)
            errors[nameof(request.Horizon)] = $"The horizon must be between 1 and {MaxHorizon}, or empty for the config's.";
        if (request.EvaluationMode is not null && !EvaluationModes.Contains(request.EvaluationMode))
            errors[nameof(request.EvaluationMode)] = "The evaluation mode is holdout or backtest, or empty for the config's.";
        if (request.Windows is < 1 or > MaxWindows)
            errors[nameof(request.Windows)] = $"Backtest windows must be between 1 and {MaxWindows}, or empty for the config's.";
        if (request.Challenger is not null)
        {
            if (!_options.EffectiveModels.Contains(request.Challenger, StringComparer.Ordinal) || request.Challenger == request.Model)
                errors[nameof(request.Challenger)] = $"The challenger is another of the models: {string.Join(", ", _options.EffectiveModels)}.";
            if (request.ChallengerShare is not (>= 1 and <= 99))
                errors[nameof(request.ChallengerShare)] = "The challenger's share of the series is between 1 and 99 percent.";
        }
        if (_jobs.Values.Count(e => e.Job.Snapshot().State == TrainerJobState.Running) >= _options.MaxConcurrentRuns)
            errors[string.Empty] = $"{_options.MaxConcurrentRuns} run(s) are already going; wait for one to finish.";
        return errors;
    }

    /// <summary>Starts a Trainer process for a request that <see cref="Validate"/> accepted.</summary>
    public TrainerJobSnapshot Start(StartRunRequest request)
    {
        var errors = Validate(request);
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors.Values), nameof(request));

        var start = new ProcessStartInfo(_options.Command)
        {
            WorkingDirectory = FullPath(_options.WorkingDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in _options.EffectiveArguments) start.ArgumentList.Add(argument);
        foreach (string argument in TrainerArguments(request)) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (request.Challenger is not null)
        {
            // The form's split replaces any Model flag the Dashboard's own environment would pass on.
            foreach (string inherited in start.Environment.Keys.Where(k => k.StartsWith(ModelFlagPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
                start.Environment.Remove(inherited);
            foreach (var (key, value) in ModelFlagEnvironment(request)) start.Environment[key] = value;
        }

        var job = new TrainerJob(Guid.NewGuid().ToString("N")[..12], request, clock.GetUtcNow().UtcDateTime, _options.MaxLogLines);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) job.AddLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) job.AddLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _jobs[job.Id] = (job, process);
        logger.LogInformation("Started Trainer job {JobId} (process {ProcessId}): config {Config}, model {Model}", job.Id, process.Id, request.Config, request.Model);
        _ = WatchAsync(job, process);
        return job.Snapshot();
    }

    /// <summary>The arguments after the configured command: config, output and the overrides the form set.</summary>
    public IReadOnlyList<string> TrainerArguments(StartRunRequest request)
    {
        var arguments = new List<string>
        {
            "--config", Path.Combine(FullPath(_options.ConfigFolder), request.Config),
            "--set", $"run.output={OutputLocation(dashboardOptions.Value.ArtifactRoot)}",
            "--set", $"model.name={request.Model}",
        };
        if (request.Horizon is { } horizon) arguments.AddRange(["--set", FormattableString.Invariant($"evaluation.horizon={horizon}")]);
        if (request.EvaluationMode is { } mode) arguments.AddRange(["--set", $"evaluation.mode={mode}"]);
        if (request.Windows is { } windows) arguments.AddRange(["--set", FormattableString.Invariant($"evaluation.windows={windows}")]);
        return arguments;
    }

    private const string ModelFlagPrefix = "feature_management__feature_flags__";

    /// <summary>
    /// The Trainer's Model variant flag (docs/platform.md, Feature flags) as environment variables: the model for the
    /// first 100 − share percentiles of unique_id, the challenger for the rest.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ModelFlagEnvironment(StartRunRequest request)
    {
        int split = 100 - (request.ChallengerShare ?? 0);
        const string flag = ModelFlagPrefix + "0__";
        return new Dictionary<string, string>
        {
            [flag + "id"] = "Model",
            [flag + "enabled"] = "true",
            [flag + "variants__0__name"] = request.Model,
            [flag + "variants__1__name"] = request.Challenger!,
            [flag + "allocation__seed"] = "forecast-model",
            [flag + "allocation__percentile__0__variant"] = request.Model,
            [flag + "allocation__percentile__0__from"] = "0",
            [flag + "allocation__percentile__0__to"] = split.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [flag + "allocation__percentile__1__variant"] = request.Challenger!,
            [flag + "allocation__percentile__1__from"] = split.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [flag + "allocation__percentile__1__to"] = "100",
        };
    }

    private async Task WatchAsync(TrainerJob job, Process process)
    {
        // WaitForExitAsync also waits for the redirected output to be read to its end.
        await process.WaitForExitAsync().ConfigureAwait(false);
        job.Complete(process.ExitCode, clock.GetUtcNow().UtcDateTime);
        var snapshot = job.Snapshot();
        logger.LogInformation("Trainer job {JobId} ended with exit code {ExitCode}: {State}, run {RunId}", job.Id, process.ExitCode, snapshot.State, snapshot.RunId ?? "none");
    }

    private string FullPath(string path) => Path.GetFullPath(path, environment.ContentRootPath);

    /// <summary>The run output the Dashboard reads: an s3:// URI as is, a folder as an absolute path.</summary>
    private string OutputLocation(string root) => Forecast.Core.Storage.S3Uri.IsS3(root) ? root : FullPath(root);

    public void Dispose()
    {
        foreach (var (job, process) in _jobs.Values)
        {
            try
            {
                if (!process.HasExited)
                {
                    logger.LogWarning("Stopping Trainer job {JobId} (process {ProcessId}) as the Dashboard stops", job.Id, process.Id);
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
    }
}
