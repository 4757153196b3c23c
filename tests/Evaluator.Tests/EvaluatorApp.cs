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

    public EvaluatorApp(string artifactRoot)
    {
        _artifactRoot = artifactRoot;
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ArtifactStore:Root", _artifactRoot);
        builder.UseSetting("Urls", "");
    }

    public async Task<T> GetAsync<T>(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }
}
