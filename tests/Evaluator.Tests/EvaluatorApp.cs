using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Forecast.Evaluator.Tests;

/// <summary>
/// The real Evaluator on Kestrel at 127.0.0.1 on a free port (WebApplicationFactory.UseKestrel, .NET 10), reading
/// the runs of <see cref="TrainedRuns"/>. Clients talk real HTTP to it.
/// </summary>
public sealed class EvaluatorApp : WebApplicationFactory<Program>
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly string _artifactRoot;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">More configuration, e.g. RunCatalog:ChangeCheckInterval.</param>
    public EvaluatorApp(string artifactRoot, IReadOnlyDictionary<string, string>? settings = null)
    {
        _artifactRoot = artifactRoot;
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ArtifactStore:Root", _artifactRoot);
        builder.UseSetting("Urls", "");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public async Task<T> GetAsync<T>(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }
}
