using System.Text.Json;
using System.Text.RegularExpressions;
using Forecast.Core.Artifacts;
using Forecast.Core.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace Forecast.Dashboard.Tests;

/// <summary>
/// The deployed Dashboard (Trainer:Launch=Request, as aspire-manifest.json publishes it): the form writes the run
/// request and starts nothing (the bucket's event rule starts the state machine on it); the job page shows the status
/// the Trainer tasks write to request-status/, from queued to the committed run.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardRequestLaunchTests(DashboardRuns runs)
{
    [Fact]
    public async Task With_Launch_Request_the_form_only_writes_the_request_and_the_job_follows_its_status_in_the_store()
    {
        using var app = new DashboardApp(runs, new Dictionary<string, string> { ["Trainer:Launch"] = "Request", ["Trainer:Command"] = "no-such-trainer-command" });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        string token = TokenField().Match(await client.GetStringAsync("/runs/new")).Groups[1].Value;

        var response = await client.PostAsync("/runs/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Config"] = "default-config.yaml",
        }));

        string path = response.RequestMessage!.RequestUri!.AbsolutePath;
        path.Should().StartWith("/jobs/", await response.Content.ReadAsStringAsync());
        string id = path["/jobs/".Length..];
        var requests = new RunRequestStore(new LocalFolderArtifactStore(runs.Output));
        var written = await requests.GetAsync(id);
        written.Should().NotBeNull("the request is in the store, where the event rule sees it");
        written!.Config.Should().EndWith("default-config.yaml");
        written.Overrides.Should().Contain(o => o.StartsWith("run.output=", StringComparison.Ordinal));
        app.Services.GetRequiredService<Forecast.Dashboard.Services.TrainerProcesses>().Running.Should().Be(0, "the deployment runs it, not this Dashboard");

        (await JobAsync(client, id)).GetProperty("state").GetString().Should().Be("Queued");

        // What the Trainer tasks of the execution write (RequestedRun): running, then the merged run committed.
        await requests.PutStatusAsync(new RunRequestStatus(id, RunRequestState.Running, "evaluating", 40, null, null, null, DateTime.UtcNow));
        var running = await JobAsync(client, id);
        running.GetProperty("state").GetString().Should().Be("Running");
        running.GetProperty("percent").GetInt32().Should().Be(40);
        running.GetProperty("localProcess").GetBoolean().Should().BeFalse();
        await requests.PutStatusAsync(new RunRequestStatus(id, RunRequestState.Succeeded, "committed", 100, "20261206T200000Z-default-abcdef", null, 0, DateTime.UtcNow));
        var done = await JobAsync(client, id);
        done.GetProperty("state").GetString().Should().Be("Succeeded");
        done.GetProperty("runId").GetString().Should().Be("20261206T200000Z-default-abcdef");
    }

    private static async Task<JsonElement> JobAsync(HttpClient client, string id)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync($"/data/jobs/{id}"));
        return document.RootElement.Clone();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
