using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace Forecast.Dashboard.Tests;

/// <summary>
/// Defects of the hardening pass: MaxConcurrentRuns holds under simultaneous posts (TrainerProcesses reserves a slot in one step), and a
/// DNS-rebinding page (Host or Origin evil.example) can neither read pages nor start runs; other host names are
/// allowed only when configured (AllowedHosts).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardHardeningTests(DashboardRuns runs)
{
    private static async Task<string> TokenAsync(HttpClient client) =>
        TokenField().Match(await client.GetStringAsync("/runs/new")).Groups[1].Value;

    private static FormUrlEncodedContent StartForm(string token) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = token, ["Config"] = "default-config.yaml",
    });

    private int RequestFiles() =>
        Directory.Exists(Path.Combine(runs.Output, "requests")) ? Directory.GetFiles(Path.Combine(runs.Output, "requests")).Length : 0;

    [Fact]
    public async Task Simultaneous_valid_posts_start_no_more_than_MaxConcurrentRuns()
    {
        // A "Trainer" that runs 20 s and ignores its arguments, so every slot is still taken when all posts arrive.
        using var app = new DashboardApp(runs, new Dictionary<string, string>
        {
            ["Trainer:Command"] = "sh", ["Trainer:Arguments:0"] = "-c", ["Trainer:Arguments:1"] = "sleep 20", ["Trainer:Arguments:2"] = "sh",
            ["Trainer:MaxConcurrentRuns"] = "2",
        });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        string token = await TokenAsync(client);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsync("/runs/new", StartForm(token))));

        var started = responses.Where(r => r.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/jobs/", StringComparison.Ordinal)).ToList();
        started.Should().HaveCount(2, "MaxConcurrentRuns is 2");
        foreach (var refused in responses.Except(started))
            (await refused.Content.ReadAsStringAsync()).Should().Contain("2 run(s) are already going");
        app.Services.GetRequiredService<Forecast.Dashboard.Services.TrainerProcesses>().Running.Should().Be(2);
    }

    [Fact]
    public async Task A_foreign_Host_is_refused_by_default()
    {
        using var app = new DashboardApp(runs);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "evil.example";
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        foreach (string loopback in new[] { "localhost", "127.0.0.1", "[::1]" })
        {
            using var allowed = new HttpRequestMessage(HttpMethod.Get, "/");
            allowed.Headers.Host = $"{loopback}:{app.BaseAddress.Port}";
            (await client.SendAsync(allowed)).StatusCode.Should().Be(HttpStatusCode.OK, loopback);
        }
    }

    [Fact]
    public async Task A_post_from_a_foreign_Origin_starts_nothing()
    {
        using var app = new DashboardApp(runs);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        string token = await TokenAsync(client);
        int before = RequestFiles();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/runs/new") { Content = StartForm(token) };
        request.Headers.Add("Origin", "http://evil.example");
        var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        RequestFiles().Should().Be(before, "no run request was written");
        app.Services.GetRequiredService<Forecast.Dashboard.Services.TrainerProcesses>().Running.Should().Be(0);
    }

    [Fact]
    public async Task A_deployment_allows_its_own_host_name_by_configuration()
    {
        using var app = new DashboardApp(runs, new Dictionary<string, string> { ["AllowedHosts"] = "dashboard.example" });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "dashboard.example";
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
