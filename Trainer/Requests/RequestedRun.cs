using Forecast.Core.Models;
using Forecast.Core.Requests;
using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Features;
using Forecast.Trainer.Pipeline;
using Microsoft.Extensions.Configuration;

namespace Forecast.Trainer.Requests;

/// <summary>
/// A run the Trainer makes for a <see cref="RunRequest"/> (<c>--request &lt;root&gt;/requests/&lt;id&gt;.json</c>, or
/// FORECAST_REQUEST): the request replaces <c>--config</c> and <c>--set</c>, its flags are layered over the host's,
/// and the run's progress and outcome go to <c>&lt;root&gt;/request-status/&lt;id&gt;.json</c>, where the Dashboard
/// reads them. Status writes are best effort: a status that cannot be written is a warning, never a failed run.
/// </summary>
public sealed class RequestedRun
{
    /// <summary>Set on the deployed Trainer's tasks by the state machine that an S3 request event started.</summary>
    public const string Variable = "FORECAST_REQUEST";

    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private readonly RunRequestStore _store;
    private readonly IRunLog _log;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private RunRequestStatus _status;
    private DateTime _lastWrite = DateTime.MinValue;
    private Task _writing = Task.CompletedTask;

    private RequestedRun(RunRequest request, RunRequestStore store, IRunLog log, TimeProvider clock)
    {
        Request = request;
        _store = store;
        _log = log;
        _clock = clock;
        _status = new RunRequestStatus(request.Id, RunRequestState.Running, "starting", 0, null, null, null, clock.GetUtcNow().UtcDateTime);
    }

    public RunRequest Request { get; }

    public RunRequestStatus Status { get { lock (_gate) return _status; } }

    /// <summary>Reads the request at <paramref name="location"/> (its key must be requests/&lt;id&gt;.json under a root).</summary>
    /// <exception cref="ConfigException">The location is not a request key, the request is missing or malformed.</exception>
    public static async Task<RequestedRun> OpenAsync(string location, StorageLocations locations, IRunLog log, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        string normalized = location.Replace('\\', '/');
        int marker = normalized.LastIndexOf("/" + RunRequest.Prefix, StringComparison.Ordinal);
        int start = marker >= 0 ? marker + 1 : normalized.StartsWith(RunRequest.Prefix, StringComparison.Ordinal) ? 0 : -1;
        string name = start < 0 ? "" : normalized[(start + RunRequest.Prefix.Length)..];
        if (start < 0 || !name.EndsWith(".json", StringComparison.Ordinal) || !RunRequest.IsValidId(name[..^5]))
            throw new ConfigException("command line", "--request",
                $"'{location}' is not a run request: give <run output>/requests/<id>.json (a path or an s3:// URI), as the Dashboard writes it.");
        string root = start == 0 ? "." : normalized[..(start - 1)];
        var store = new RunRequestStore(locations.OpenArtifactStore(root.Length == 0 ? "/" : root));
        RunRequest? request;
        try
        {
            request = await store.GetAsync(name[..^5], cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new ConfigException(location, "--request", e.Message);
        }
        catch (Exception e) when (e is S3StorageException or Core.Artifacts.ArtifactStoreException)
        {
            throw new ConfigException(location, "--request", $"the request cannot be read: {e.Message}");
        }
        if (request is null) throw new ConfigException(location, "--request", "no such run request; the Dashboard writes requests/<id>.json under its run output before starting the Trainer.");
        log.Info($"Run request {request.Id} ({request.RequestedBy}): {request.Config}{string.Concat(request.Overrides.Select(o => " --set " + o))}");
        var run = new RequestedRun(request, store, log, clock ?? TimeProvider.System);
        await run.ReportAsync(s => s, force: true).ConfigureAwait(false);
        return run;
    }

    /// <summary>
    /// The flags of this run: the host's, with the request's flag settings layered on top (so they win), named
    /// "run request &lt;id&gt;" in flags.yaml. Without request flags the host's flags as they are.
    /// </summary>
    public TrainerFeatures Features(TrainerFeatures host)
    {
        if (Request.Flags.Count == 0) return host;
        var builder = new ConfigurationBuilder();
        if (host.Configuration is { } configuration) builder.AddConfiguration(configuration);
        builder.AddRunRequestFlags(Request.Flags, $"run request {Request.Id}");
        return TrainerFeatures.From(builder.Build());
    }

    /// <summary>The pipeline's progress, reported to the status as the stage and its percent (at most once a second).</summary>
    public IProgress<ForecastProgress> Progress(IProgress<ForecastProgress> inner) => new StatusProgress(this, inner);

    /// <summary>A log that also names the pipeline's stage in the status (its "Loading …", "Evaluating …" lines).</summary>
    public IRunLog Log(IRunLog inner) => new StatusLog(this, inner);

    public Task SucceededAsync(string runId, bool final) => ReportAsync(s => s with
    {
        State = final ? RunRequestState.Succeeded : RunRequestState.Running,
        Stage = final ? "committed" : $"shard run {runId} committed; the merge follows",
        Percent = final ? 100 : s.Percent,
        RunId = final ? runId : s.RunId,
        ExitCode = final ? 0 : null,
    }, force: true);

    public Task FailedAsync(string message, int exitCode) =>
        ReportAsync(s => s with { State = RunRequestState.Failed, Message = message, ExitCode = exitCode }, force: true);

    private Task ReportAsync(Func<RunRequestStatus, RunRequestStatus> change, bool force)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            _status = change(_status) with { UpdatedUtc = now };
            if (!force && now - _lastWrite < MinInterval) return Task.CompletedTask;
            _lastWrite = now;
            var status = _status;
            // One write at a time, in order: a later status never lands before an earlier one.
            _writing = _writing.ContinueWith(_ => WriteAsync(status), TaskScheduler.Default).Unwrap();
            return _writing;
        }
    }

    private async Task WriteAsync(RunRequestStatus status)
    {
        try
        {
            await _store.PutStatusAsync(status).ConfigureAwait(false);
        }
        catch (Exception e) when (e is S3StorageException or Core.Artifacts.ArtifactStoreException or IOException)
        {
            _log.Warn($"The status of run request {status.Id} could not be written ({e.Message}); the run goes on.");
        }
    }

    private sealed class StatusProgress(RequestedRun run, IProgress<ForecastProgress> inner) : IProgress<ForecastProgress>
    {
        public void Report(ForecastProgress value)
        {
            inner.Report(value);
            if (value.Total <= 0) return;
            int percent = (int)(100L * value.Completed / value.Total);
            _ = run.ReportAsync(s => s with { Stage = value.Stage, Percent = percent }, force: value.Completed == value.Total);
        }
    }

    private sealed class StatusLog(RequestedRun run, IRunLog inner) : IRunLog
    {
        private static readonly string[] Stages = ["Loading", "Cleaned", "Exploring", "Evaluating", "Forecasting", "Plotting"];

        public void Info(string message)
        {
            inner.Info(message);
            if (Stages.Any(stage => message.StartsWith(stage, StringComparison.Ordinal)))
                _ = run.ReportAsync(s => s with { Stage = message.Length > 200 ? message[..200] + "…" : message }, force: false);
        }

        public void Warn(string message) => inner.Warn(message);
    }
}
