using System.Collections.Concurrent;
using System.Diagnostics;
using Forecast.Dashboard.Extensions;
using Microsoft.Extensions.Options;

namespace Forecast.Dashboard.Services;

/// <summary>
/// The Trainer processes this Dashboard started for run requests (<see cref="TrainerLaunch.Process"/>): the configured
/// command with <c>--request &lt;location&gt;</c>, through ArgumentList (never a shell), reporting to OpenTelemetry as the
/// service "trainer" (not as the Dashboard whose environment it inherits). Keeps each process's last log lines and
/// exit code; kills what still runs when the Dashboard stops.
/// </summary>
public sealed class TrainerProcesses(IOptions<TrainerOptions> options, IHostEnvironment environment, TimeProvider clock, ILogger<TrainerProcesses> logger) : IDisposable
{
    private readonly TrainerOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Entry> _processes = new(StringComparer.Ordinal);
    private readonly Lock _reserve = new();

    /// <summary>The Trainer's service name in traces, logs and metrics (the AppHost's resource name).</summary>
    public const string TelemetryServiceName = "trainer";

    public int Running => _processes.Values.Count(e => !e.Exited);

    /// <summary>Starts the Trainer for the request at <paramref name="requestLocation"/>, unless MaxConcurrentRuns already run.</summary>
    /// <returns>False when the limit is reached (checked and taken in one step, so simultaneous posts cannot exceed it).</returns>
    public bool TryStart(string requestId, string requestLocation)
    {
        var start = new ProcessStartInfo(_options.Command)
        {
            WorkingDirectory = Extensions.Extensions.ContentPath(environment.ContentRootPath, _options.WorkingDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in _options.EffectiveArguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--request");
        start.ArgumentList.Add(requestLocation);
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Its own service in the telemetry: the Dashboard's OTEL_SERVICE_NAME and instance id would file the run under "dashboard".
        start.Environment["OTEL_SERVICE_NAME"] = TelemetryServiceName;
        start.Environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={requestId}";
        // The request carries the run's flags; none of the Dashboard's environment may add a Model flag of its own.
        foreach (string inherited in start.Environment.Keys.Where(k => k.StartsWith("feature_management__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(inherited);

        var entry = new Entry(_options.MaxLogLines);
        lock (_reserve)
        {
            if (Running >= _options.MaxConcurrentRuns) return false;
            _processes[requestId] = entry;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) entry.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) entry.Add(e.Data); };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            entry.Add($"The Trainer could not be started ({_options.Command}): {e.Message}");
            entry.End(-1);
            logger.LogError("Trainer for request {RequestId} could not be started: {Message}", requestId, e.Message);
            return true;
        }
        entry.Process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        logger.LogInformation("Started the Trainer (process {ProcessId}) for run request {RequestId}", process.Id, requestId);
        _ = WatchAsync(requestId, entry, process);
        return true;
    }

    /// <summary>The log lines and exit code of the process started for <paramref name="requestId"/>, or null when none was.</summary>
    public (IReadOnlyList<string> Lines, int Dropped, int? ExitCode)? Get(string requestId) =>
        _processes.TryGetValue(requestId, out var entry) ? entry.Snapshot() : null;

    private async Task WatchAsync(string requestId, Entry entry, Process process)
    {
        // WaitForExitAsync also waits for the redirected output to be read to its end.
        await process.WaitForExitAsync().ConfigureAwait(false);
        entry.End(process.ExitCode);
        logger.LogInformation("The Trainer for run request {RequestId} exited with code {ExitCode} at {Time}", requestId, process.ExitCode, clock.GetUtcNow());
    }

    public void Dispose()
    {
        foreach (var (id, entry) in _processes)
        {
            if (entry.Process is not { } process) continue;
            try
            {
                if (!process.HasExited)
                {
                    logger.LogWarning("Stopping the Trainer of run request {RequestId} (process {ProcessId}) as the Dashboard stops", id, process.Id);
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
    }

    private sealed class Entry(int maxLines)
    {
        private readonly Lock _gate = new();
        private readonly Queue<string> _lines = new();
        private int _dropped;
        private int? _exitCode;

        public Process? Process { get; set; }

        public bool Exited { get { lock (_gate) return _exitCode is not null; } }

        public void Add(string line)
        {
            lock (_gate)
            {
                _lines.Enqueue(line);
                if (_lines.Count > maxLines) { _lines.Dequeue(); _dropped++; }
            }
        }

        public void End(int exitCode) { lock (_gate) _exitCode = exitCode; }

        public (IReadOnlyList<string>, int, int?) Snapshot() { lock (_gate) return ([.. _lines], _dropped, _exitCode); }
    }
}
