using System.Globalization;
using System.Text.RegularExpressions;

namespace Forecast.Dashboard.Services;

/// <summary>
/// One Trainer process started from the Dashboard: what was asked, its state, the last lines of its log, and the
/// progress and run id parsed from the Trainer's plain log lines ("seasonal_naive: 3/9 series (33%)",
/// "Run &lt;id&gt; committed: ..."). Updated from the process' output threads; read through <see cref="Snapshot"/>.
/// </summary>
public sealed partial class TrainerJob(string id, StartRunRequest request, DateTime startedUtc, int maxLines)
{
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private int _droppedLines;
    private TrainerJobState _state = TrainerJobState.Running;
    private int? _exitCode;
    private string? _runId;
    private int _percent;
    private string _stage = "starting";
    private DateTime? _endedUtc;

    public string Id { get; } = id;
    public StartRunRequest Request { get; } = request;
    public DateTime StartedUtc { get; } = startedUtc;

    public void AddLine(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > maxLines) { _lines.Dequeue(); _droppedLines++; }
            if (ProgressLine().Match(line) is { Success: true } progress)
            {
                _percent = int.Parse(progress.Groups["percent"].ValueSpan, CultureInfo.InvariantCulture);
                _stage = progress.Groups["stage"].Value.Trim();
            }
            else if (CommittedLine().Match(line) is { Success: true } committed)
            {
                _runId = committed.Groups["run"].Value;
            }
            else if (StageLine().Match(line) is { Success: true } stage)
            {
                _stage = stage.Groups["message"].Value.Trim();
            }
        }
    }

    public void Complete(int exitCode, DateTime endedUtc)
    {
        lock (_gate)
        {
            _exitCode = exitCode;
            _endedUtc = endedUtc;
            _state = exitCode == 0 && _runId is not null ? TrainerJobState.Succeeded : TrainerJobState.Failed;
            if (_state == TrainerJobState.Succeeded) { _percent = 100; _stage = "committed"; }
        }
    }

    public TrainerJobSnapshot Snapshot()
    {
        lock (_gate)
            return new TrainerJobSnapshot(Id, Request.Config, Request.Model, StartedUtc, _endedUtc, _state, _exitCode, _runId, _percent, _stage, _droppedLines, [.. _lines]);
    }

    // PlainProgress in Trainer/Cli: "<stage>: <done>/<total> series (<percent>%)" after the timestamp and level.
    [GeneratedRegex(@"INFO\s+(?<stage>.+?): \d+/\d+ series \((?<percent>\d{1,3})%\)\s*$")]
    private static partial Regex ProgressLine();

    // TrainingPipeline.RunAsync: "Run <run-id> committed: <n> files in <location>".
    [GeneratedRegex(@"INFO\s+Run (?<run>[A-Za-z0-9][A-Za-z0-9._-]*) committed:")]
    private static partial Regex CommittedLine();

    [GeneratedRegex(@"INFO\s+(?<message>(Loading|Cleaned|Exploring|Evaluating|Forecasting|Plotting)\b.*)$")]
    private static partial Regex StageLine();
}

public enum TrainerJobState { Running, Succeeded, Failed }

/// <summary>A consistent copy of a <see cref="TrainerJob"/> for pages and the progress endpoint.</summary>
public sealed record TrainerJobSnapshot(
    string Id, string Config, string Model, DateTime StartedUtc, DateTime? EndedUtc, TrainerJobState State, int? ExitCode,
    string? RunId, int Percent, string Stage, int DroppedLines, IReadOnlyList<string> Lines);

/// <summary>
/// What the start form asks for: a config file of the config folder, a model, optional overrides, and optionally a
/// challenger model that the Trainer's Model feature flag gives <see cref="ChallengerShare"/> percent of the series.
/// </summary>
public sealed record StartRunRequest(string Config, string Model, int? Horizon, string? EvaluationMode, int? Windows,
    string? Challenger = null, int? ChallengerShare = null);
