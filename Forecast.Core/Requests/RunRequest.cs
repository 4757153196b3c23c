using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Forecast.Core.Requests;

/// <summary>
/// A request to run the Trainer, written as <c>requests/&lt;id&gt;.json</c> under the run output root: the config to
/// run (a path or an s3:// URI), its <c>--set</c> overrides, and the configuration keys of any feature flags for this
/// run (the Dashboard's challenger split). It is the whole invocation: <c>Forecast.Trainer --request &lt;uri&gt;</c>
/// runs it, whether the Dashboard started that process (locally) or an S3 "Object Created" event started the
/// deployed state machine (on AWS). The Trainer reports on it in <see cref="RunRequestStatus"/>. <see cref="Model"/> is
/// what the requester expects to run (name/variant@checkpoint), for lists of requests only: the Trainer runs what the
/// config and the overrides say, and the committed run names its model itself.
/// </summary>
public sealed partial record RunRequest(
    string Id,
    DateTime RequestedUtc,
    string Config,
    IReadOnlyList<string> Overrides,
    IReadOnlyDictionary<string, string> Flags,
    string RequestedBy,
    string Model = "")
{
    public const string Prefix = "requests/";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The request's key under the output root.</summary>
    public static string KeyOf(string id) => $"{Prefix}{id}.json";

    /// <summary>A new id: the UTC time to the second (so ids sort by time) and 8 random hex digits.</summary>
    public static string NewId(DateTime utc) => $"{utc:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Letters, digits, '-' and '_' (1-64), so an id from a URL or a key can never leave requests/.</summary>
    public static bool IsValidId(string? id) => id is { Length: > 0 and <= 64 } && ValidId().IsMatch(id);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="InvalidDataException">Not a run request; the message names <paramref name="location"/> and what is wrong.</exception>
    public static RunRequest Parse(ReadOnlySpan<byte> json, string location)
    {
        RunRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<RunRequest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{location} is not a run request: {e.Message}", e);
        }
        if (request is null) throw new InvalidDataException($"{location} is empty; a run request is a JSON object with id, config and overrides.");
        if (!IsValidId(request.Id)) throw new InvalidDataException($"{location}: id '{request.Id}' is not a request id (letters, digits, '-', '_').");
        if (string.IsNullOrWhiteSpace(request.Config)) throw new InvalidDataException($"{location}: config is missing; name the YAML config to run.");
        if (request.Overrides is null || request.Overrides.Any(o => string.IsNullOrWhiteSpace(o) || !o.Contains('=', StringComparison.Ordinal)))
            throw new InvalidDataException($"{location}: overrides must be a list of key=value strings (as --set takes them).");
        return request with { Flags = request.Flags ?? new Dictionary<string, string>(), RequestedBy = request.RequestedBy ?? "", Model = request.Model ?? "" };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex ValidId();
}
