using Forecast.Core.Requests;

namespace Forecast.Dashboard.Services;

/// <summary>
/// A run request as the job page and /data/jobs/{id} show it: what was asked (config, model), its status as the Trainer
/// reports it in request-status/&lt;id&gt;.json, and, when this Dashboard started the Trainer process itself, the last
/// lines of its log.
/// </summary>
public sealed record RunJob(
    string Id, string Config, string Model, DateTime RequestedUtc, RunRequestState State, string Stage, int Percent,
    string? RunId, string? Message, int? ExitCode, bool LocalProcess, int DroppedLines, IReadOnlyList<string> Lines)
{
    public bool Ended => State is RunRequestState.Succeeded or RunRequestState.Failed;
}
