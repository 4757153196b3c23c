using System.Globalization;
using Forecast.Core.Models;
using Forecast.Core.Requests;
using Forecast.Dashboard.Extensions;
using Microsoft.Extensions.Options;

namespace Forecast.Dashboard.Services;

/// <summary>
/// Starts Trainer runs the one way there is: a run request (<see cref="RunRequest"/>) written to requests/&lt;id&gt;.json
/// under the run output root. Locally (<see cref="TrainerLaunch.Process"/>) the Dashboard then starts the Trainer with
/// <c>--request</c> itself; deployed (<see cref="TrainerLaunch.Request"/>) the S3 event rule starts the state machine on
/// it. Either way the Trainer reports in request-status/&lt;id&gt;.json, which the job page shows. Every form value is
/// checked against a closed set (configs listed from the config folder, models, variants and checkpoints from the
/// Trainer's catalog) or a range before it reaches a request; the Dashboard never runs model code.
/// </summary>
public sealed class RunStarter(RunConfigs configs, TrainerCatalog catalog, RunRequestStore requests, TrainerProcesses processes,
    IOptions<TrainerOptions> trainerOptions, IOptions<DashboardOptions> dashboardOptions, IHostEnvironment environment, TimeProvider clock,
    ILogger<RunStarter> logger)
{
    public const int MaxHorizon = 10_000;
    public const int MaxWindows = 100;
    public static readonly IReadOnlyList<string> EvaluationModes = ["holdout", "backtest"];

    private readonly TrainerOptions _options = trainerOptions.Value;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RunRequestStatus> _lastStatus = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RunRequest> _lastRequest = new(StringComparer.Ordinal);

    public TrainerLaunch Launch => _options.Launch;

    /// <summary>Problems with <paramref name="request"/>, keyed by form field (empty key: the form as a whole); empty when it may start.</summary>
    public async Task<Dictionary<string, string>> ValidateAsync(StartRunRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var available = await configs.ListAsync(cancellationToken);
        RegisteredModels? models = await catalog.GetAsync(cancellationToken);
        ConfigModel? written = null;
        if (!available.Contains(request.Config, StringComparer.Ordinal))
            errors[nameof(request.Config)] = $"Choose one of the configs in {configs.Folder}: {string.Join(", ", available)}.";
        else
        {
            written = await configs.ModelOfAsync(request.Config, cancellationToken);
            if (written.Problem is not null) errors[nameof(request.Config)] = $"{request.Config} cannot be read: {written.Problem}.";
        }

        string? model = request.Model ?? written?.Name;
        bool choosesModel = request.Model is not null || request.Variant is not null || request.Checkpoint is not null || request.Challenger is not null;
        if (choosesModel && models is null)
            errors[string.Empty] = $"The Trainer's model catalog ({catalog.Location}) is not there yet: every committed Trainer run writes it. " +
                "Start a run with the config's own model first (leave model, variant, checkpoint and challenger empty).";
        var description = model is null ? null : models?.Find(model);
        if (models is not null && request.Model is not null && description is null)
            errors[nameof(request.Model)] = $"Choose one of the models the Trainer registers: {string.Join(", ", models.Models.Select(m => m.Name))}.";
        else if (written?.Name is { } configured && request.Model is not null && request.Model != configured)
            errors[nameof(request.Model)] = $"{request.Config} is written for model {configured} (model.name); its settings would not apply to {request.Model}. " +
                $"Choose {configured}, or a config written for {request.Model}{await ConfigsForAsync(request.Model, null, cancellationToken)}.";

        string? variant = request.Variant ?? written?.Variant;
        if (request.Variant is not null && description is not null && !errors.ContainsKey(nameof(request.Model)))
        {
            if (description.Variants.All(v => v.Name != request.Variant))
                errors[nameof(request.Variant)] = description.Variants.Count == 0
                    ? $"Model {description.Name} has no variants; leave the variant empty."
                    : $"Model {description.Name} has the variants {string.Join(", ", description.Variants.Select(v => v.Name))}.";
            else if (written?.Variant is { } configuredVariant && request.Variant != configuredVariant)
                errors[nameof(request.Variant)] = $"{request.Config} is written for variant {configuredVariant} (model.{description.Name}.variant). " +
                    $"Choose {configuredVariant}, or a config written for {description.Name}/{request.Variant}{await ConfigsForAsync(description.Name, request.Variant, cancellationToken)}.";
        }
        if (request.Checkpoint is not null && description is not null && !errors.ContainsKey(nameof(request.Variant)))
        {
            var known = description.Variants.FirstOrDefault(v => v.Name == variant)?.Checkpoints.Select(c => c.Reference).ToList() ?? [];
            if (!known.Contains(request.Checkpoint, StringComparer.Ordinal))
                errors[nameof(request.Checkpoint)] = known.Count == 0
                    ? $"{description.Name}{(variant is null ? "" : "/" + variant)} has no checkpoints to choose; leave the checkpoint empty."
                    : $"Choose a checkpoint of {description.Name}/{variant}: {string.Join(", ", known)}.";
        }
        if (request.Horizon is < 1 or > MaxHorizon)
            errors[nameof(request.Horizon)] = $"The horizon must be between 1 and {MaxHorizon}, or empty for the config's.";
        if (request.EvaluationMode is not null && !EvaluationModes.Contains(request.EvaluationMode))
            errors[nameof(request.EvaluationMode)] = "The evaluation mode is holdout or backtest, or empty for the config's.";
        if (request.Windows is < 1 or > MaxWindows)
            errors[nameof(request.Windows)] = $"Backtest windows must be between 1 and {MaxWindows}, or empty for the config's.";
        if (request.Challenger is not null && models is not null)
        {
            if (models.Find(request.Challenger) is null || request.Challenger == model)
                errors[nameof(request.Challenger)] = $"The challenger is another of the models: {string.Join(", ", models.Models.Select(m => m.Name).Where(m => m != model))}.";
            if (request.ChallengerShare is not (>= 1 and <= 99))
                errors[nameof(request.ChallengerShare)] = "The challenger's share of the series is between 1 and 99 percent.";
        }
        if (_options.Launch == TrainerLaunch.Process && processes.Running >= _options.MaxConcurrentRuns)
            errors[string.Empty] = $"{_options.MaxConcurrentRuns} run(s) are already going; wait for one to finish.";
        return errors;
    }

    /// <summary>Writes the request for a validated form and, locally, starts the Trainer on it.</summary>
    /// <returns>The request id, or the problems (nothing written) when the form is not valid or the run limit is reached.</returns>
    public async Task<(string? Id, Dictionary<string, string> Errors)> StartAsync(StartRunRequest request, CancellationToken cancellationToken = default)
    {
        var errors = await ValidateAsync(request, cancellationToken);
        if (errors.Count > 0) return (null, errors);
        var written = await configs.ModelOfAsync(request.Config, cancellationToken);
        var runRequest = new RunRequest(RunRequest.NewId(clock.GetUtcNow().UtcDateTime), clock.GetUtcNow().UtcDateTime,
            configs.LocationOf(request.Config), Overrides(request, written), request.Challenger is null ? new Dictionary<string, string>() : ModelFlag(request, written.Name!),
            "dashboard", ModelOf(request, written));
        await requests.SubmitAsync(runRequest, cancellationToken);
        logger.LogInformation("Run request {RequestId}: {Config} ({Model})", runRequest.Id, request.Config, ModelOf(request, written));
        if (_options.Launch == TrainerLaunch.Process && !processes.TryStart(runRequest.Id, requests.LocationOf(runRequest.Id)))
        {
            await requests.PutStatusAsync(new RunRequestStatus(runRequest.Id, RunRequestState.Failed, "not started", 0, null,
                $"{_options.MaxConcurrentRuns} run(s) were already going.", null, clock.GetUtcNow().UtcDateTime), cancellationToken);
            return (null, new Dictionary<string, string> { [string.Empty] = $"{_options.MaxConcurrentRuns} run(s) are already going; wait for one to finish." });
        }
        return (runRequest.Id, errors);
    }

    /// <summary>The --set overrides of the request: the run output, the checkpoint if chosen, and the evaluation overrides.</summary>
    public IReadOnlyList<string> Overrides(StartRunRequest request, ConfigModel written)
    {
        var overrides = new List<string> { $"run.output={OutputLocation()}" };
        if (request.Checkpoint is not null) overrides.Add($"model.{written.Name}.checkpoint={request.Checkpoint}");
        if (request.Horizon is { } horizon) overrides.Add(string.Create(CultureInfo.InvariantCulture, $"evaluation.horizon={horizon}"));
        if (request.EvaluationMode is { } mode) overrides.Add($"evaluation.mode={mode}");
        if (request.Windows is { } windows) overrides.Add(string.Create(CultureInfo.InvariantCulture, $"evaluation.windows={windows}"));
        return overrides;
    }

    /// <summary>
    /// The Trainer's Model variant flag (docs/platform.md, Feature flags) as configuration keys the request carries:
    /// the config's model for the first 100 − share percentiles of unique_id, the challenger for the rest.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ModelFlag(StartRunRequest request, string model)
    {
        string split = (100 - (request.ChallengerShare ?? 0)).ToString(CultureInfo.InvariantCulture);
        const string flag = "feature_management:feature_flags:0:";
        return new Dictionary<string, string>
        {
            [flag + "id"] = "Model",
            [flag + "enabled"] = "true",
            [flag + "variants:0:name"] = model,
            [flag + "variants:1:name"] = request.Challenger!,
            [flag + "allocation:seed"] = "forecast-model",
            [flag + "allocation:percentile:0:variant"] = model,
            [flag + "allocation:percentile:0:from"] = "0",
            [flag + "allocation:percentile:0:to"] = split,
            [flag + "allocation:percentile:1:variant"] = request.Challenger!,
            [flag + "allocation:percentile:1:from"] = split,
            [flag + "allocation:percentile:1:to"] = "100",
        };
    }

    /// <summary>The jobs of the newest requests, newest first.</summary>
    public async Task<IReadOnlyList<RunJob>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        var jobs = new List<RunJob>();
        foreach (string id in await requests.RecentIdsAsync(count, cancellationToken))
            if (await GetAsync(id, cancellationToken) is { } job) jobs.Add(job);
        return jobs;
    }

    /// <summary>A request with its status and, if this Dashboard started its Trainer, the process's log; null when there is no such request.</summary>
    public async Task<RunJob?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!RunRequest.IsValidId(id)) return null;
        var read = await ReadAsync(id, cancellationToken);
        if (read is not var (request, status)) return null;
        var local = processes.Get(id);
        // A process that ended without reporting an end (killed, crashed before its first status) failed.
        if (local is { ExitCode: { } exit } && !status.Ended)
            status = status with { State = RunRequestState.Failed, ExitCode = exit, Message = status.Message ?? $"The Trainer exited with code {exit} without reporting a result; see its log." };
        string config = Path.GetFileName(request.Config.Replace('\\', '/'));
        string model = request.Model.Length > 0 ? request.Model : "as the config says";
        return new RunJob(id, config, model, request.RequestedUtc, status.State, status.Stage, status.Percent,
            status.RunId, status.Message, status.ExitCode, local is not null, local?.Dropped ?? 0, local?.Lines ?? []);
    }

    /// <summary>
    /// The request and its status. The Trainer rewrites the status while it runs; a store that is not atomic (s3rver
    /// writes objects in place) can hand out a half-written one, so a read that fails is retried, and after that the
    /// last status read is shown instead of an error.
    /// </summary>
    private async Task<(RunRequest Request, RunRequestStatus Status)?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var request = await requests.GetAsync(id, cancellationToken);
                if (request is null) return null;
                _lastRequest[id] = request;
                var status = await requests.GetStatusAsync(id, cancellationToken) ?? RunRequestStatus.Queued(id, request.RequestedUtc);
                _lastStatus[id] = status;
                return (request, status);
            }
            catch (Exception e) when (e is InvalidDataException or Core.Artifacts.ArtifactStoreException or Core.Storage.S3StorageException)
            {
                if (attempt < 3) { await Task.Delay(TimeSpan.FromMilliseconds(150 * attempt), cancellationToken); continue; }
                logger.LogWarning("Run request {RequestId} cannot be read: {Message}", id, e.Message);
                if (_lastStatus.TryGetValue(id, out var last) && _lastRequest.TryGetValue(id, out var known)) return (known, last);
                return null;
            }
        }
    }

    /// <summary>The model the request expects to run, with the challenger's share when there is one.</summary>
    private static string ModelOf(StartRunRequest request, ConfigModel written)
    {
        string model = new ModelIdentity(written.Name ?? "?", written.Variant, request.Checkpoint ?? written.Checkpoint).ToString();
        return request.Challenger is null ? model : string.Create(CultureInfo.InvariantCulture, $"{model}, {request.ChallengerShare}% to {request.Challenger}");
    }

    /// <summary>" (prophet.yaml)" or " (none in the config folder)": the configs written for a model.</summary>
    private async Task<string> ConfigsForAsync(string model, string? variant, CancellationToken cancellationToken)
    {
        var matching = new List<string>();
        foreach (string name in await configs.ListAsync(cancellationToken))
        {
            var written = await configs.ModelOfAsync(name, cancellationToken);
            if (written.Name == model && (variant is null || written.Variant == variant)) matching.Add(name);
        }
        return matching.Count == 0 ? " (none in the config folder)" : $" ({string.Join(", ", matching)})";
    }

    /// <summary>The run output the Dashboard reads: an s3:// URI as is, a folder as an absolute path.</summary>
    private string OutputLocation() => Extensions.Extensions.ContentPath(environment.ContentRootPath, dashboardOptions.Value.ArtifactRoot);
}
