using System.Text.Json;

namespace Forecast.Core.Requests;

/// <summary>
/// What became of a <see cref="RunRequest"/>, written by the Trainer that runs it as <c>request-status/&lt;id&gt;.json</c>
/// under the same root (a separate prefix, so a status never looks like a new request to the S3 event rule): its
/// state, the current stage and percent, and at the end the committed run's id or the error. No status yet means the
/// request is queued (written, no Trainer has picked it up).
/// </summary>
public sealed record RunRequestStatus(
    string Id,
    RunRequestState State,
    string Stage,
    int Percent,
    string? RunId,
    string? Message,
    int? ExitCode,
    DateTime UpdatedUtc)
{
    public const string Prefix = "request-status/";

    public static string KeyOf(string id) => $"{Prefix}{id}.json";

    /// <summary>The status of a request no Trainer has reported on.</summary>
    public static RunRequestStatus Queued(string id, DateTime requestedUtc) =>
        new(id, RunRequestState.Queued, "waiting for a Trainer", 0, null, null, null, requestedUtc);

    public bool Ended => State is RunRequestState.Succeeded or RunRequestState.Failed;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, RunRequest.Json);

    /// <exception cref="InvalidDataException">Not a request status; the message names <paramref name="location"/>.</exception>
    public static RunRequestStatus Parse(ReadOnlySpan<byte> json, string location)
    {
        try
        {
            return JsonSerializer.Deserialize<RunRequestStatus>(json, RunRequest.Json)
                ?? throw new InvalidDataException($"{location} is empty; a request status is a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{location} is not a request status: {e.Message}", e);
        }
    }
}

/// <summary>Where a run request is: written, being run, or ended.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<RunRequestState>))]
public enum RunRequestState
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
