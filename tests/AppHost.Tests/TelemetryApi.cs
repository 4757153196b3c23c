using System.Text.Json;

namespace Forecast.AppHost.Tests;

/// <summary>
/// The Aspire dashboard's telemetry API (/api/telemetry, behind AppHost:DashboardApiKey sent as X-API-Key): the spans of
/// every instance of a service. A service with several instances (the launch Trainer, the Trainers the Dashboard
/// starts) is asked instance by instance, by the display name /api/telemetry/resources gives each.
/// </summary>
internal sealed class TelemetryApi(string dashboardUrl, string apiKey) : IDisposable
{
    private readonly HttpClient _http = CreateClient(dashboardUrl, apiKey);

    private static HttpClient CreateClient(string url, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        return http;
    }

    /// <summary>Each instance of <paramref name="service"/>: its instance id and its OTLP JSON spans ({ data: { resourceSpans } }).</summary>
    public async Task<IReadOnlyList<(string InstanceId, JsonElement Spans)>> SpansAsync(string service, CancellationToken cancellationToken = default)
    {
        using var resources = JsonDocument.Parse(await GetAsync("/api/telemetry/resources", cancellationToken));
        var result = new List<(string, JsonElement)>();
        foreach (var resource in resources.RootElement.EnumerateArray().Where(r => r.GetProperty("name").GetString() == service))
        {
            string display = resource.GetProperty("displayName").GetString()!;
            using var spans = JsonDocument.Parse(await GetAsync($"/api/telemetry/spans?resource={Uri.EscapeDataString(display)}&limit=10000", cancellationToken));
            result.Add((resource.GetProperty("instanceId").GetString()!, spans.RootElement.Clone()));
        }
        return result;
    }

    /// <summary>The resources the dashboard knows, for a failure message.</summary>
    public async Task<string> DescribeAsync() => await GetAsync("/api/telemetry/resources", CancellationToken.None);

    /// <summary>The spans of one instrumentation scope in an OTLP JSON response.</summary>
    public static IEnumerable<JsonElement> Spans(JsonElement response, string scope) =>
        response.GetProperty("data").GetProperty("resourceSpans").EnumerateArray()
            .SelectMany(resource => resource.GetProperty("scopeSpans").EnumerateArray())
            .Where(s => s.GetProperty("scope").GetProperty("name").GetString() == scope)
            .SelectMany(s => s.GetProperty("spans").EnumerateArray());

    public static string? Attribute(JsonElement span, string key) =>
        span.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().Where(a => a.GetProperty("key").GetString() == key).Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault()
            : null;

    private async Task<string> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    public void Dispose() => _http.Dispose();
}
