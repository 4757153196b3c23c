using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forecast.Dashboard.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Forecast.Dashboard.Tests;

/// <summary>The Dashboard's security rules over plain HTTP against the real app on 127.0.0.1.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardHttpTests : IDisposable
{
    private readonly DashboardRuns _runs;
    private readonly DashboardApp _app;
    private readonly HttpClient _client;

    public DashboardHttpTests(DashboardRuns runs)
    {
        _runs = runs;
        _app = new DashboardApp(runs);
        _client = new HttpClient { BaseAddress = _app.BaseAddress };
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public void It_binds_to_the_loopback_address_by_default()
    {
        _app.BaseAddress.Host.Should().Be("127.0.0.1");

        // Without ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS the Dashboard listens on 127.0.0.1 only ...
        var bare = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        bare.Configuration["urls"] = null;
        bare.Configuration["http_ports"] = null;
        bare.Configuration["https_ports"] = null;
        bare.UseLoopbackByDefault();
        new Uri(bare.WebHost.GetSetting("urls")!).Host.Should().Be("127.0.0.1");

        // ... and its launch profile (dotnet run, the AppHost) says the same.
        using var profile = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "Dashboard", "Properties", "launchSettings.json")));
        new Uri(profile.RootElement.GetProperty("profiles").GetProperty("http").GetProperty("applicationUrl").GetString()!).Host.Should().Be("127.0.0.1");
    }

    [Fact]
    public async Task Health_endpoints_report_the_artifact_store()
    {
        (await _client.GetStringAsync("/health")).Should().Be("Healthy");
        (await _client.GetStringAsync("/alive")).Should().Be("Healthy");
    }

    [Theory]
    [InlineData("/runs/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/runs/.hidden")]
    [InlineData("/data/runs/..%2Foutput/chart?series=AirPassengers")]
    public async Task Run_ids_that_could_leave_the_runs_folder_are_refused(string url)
    {
        var response = await _client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("root:");
    }

    [Fact]
    public async Task Unknown_runs_jobs_and_series_are_not_found()
    {
        (await _client.GetAsync("/runs/20990101T000000Z-none-abcdef")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync("/jobs/nosuchjob")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync($"/data/runs/{_runs.SeasonalNaiveHoldout}/chart?series=..%2F..%2Fmanifest.json")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Series_names_are_HTML_encoded_and_pages_forbid_inline_script()
    {
        var response = await _client.GetAsync($"/runs/{_runs.ScriptRun}?series={Uri.EscapeDataString(DashboardRuns.ScriptId)}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        string html = await response.Content.ReadAsStringAsync();
        html.Should().NotContain("<script>alert");
        html.Should().Contain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'");
    }

    [Fact]
    public async Task Starting_a_run_needs_the_forms_antiforgery_token_and_a_known_model_and_config()
    {
        var withoutToken = await _client.PostAsync("/runs/new", new FormUrlEncodedContent(new Dictionary<string, string> { ["Config"] = "default-config.yaml" }));
        withoutToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        int requestsBefore = RequestFiles();
        var bad = await PostFormAsync(new() { ["Config"] = "../../etc/passwd", ["Model"] = "rm -rf /", ["Horizon"] = "0" });
        bad.StatusCode.Should().Be(HttpStatusCode.OK);
        string page = await bad.Content.ReadAsStringAsync();
        page.Should().Contain("Choose one of the configs").And.Contain("Choose one of the models the Trainer registers").And.Contain("The horizon must be between 1");
        bad.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/runs/new", "nothing started, so no redirect to a job");
        RequestFiles().Should().Be(requestsBefore, "a refused form writes no request");
    }

    [Theory]
    [InlineData("prophet.yaml", "Model", "seasonal_naive", "prophet.yaml is written for model prophet", "(default-config.yaml)")]
    [InlineData("default-config.yaml", "Model", "naive", "default-config.yaml is written for model seasonal_naive", "(none in the config folder)")]
    [InlineData("chronos-bolt.yaml", "Variant", "t5", "chronos-bolt.yaml is written for variant bolt", "chronos/t5 (none in the config folder)")]
    [InlineData("chronos-bolt.yaml", "Checkpoint", "amazon/chronos-t5-small", "Choose a checkpoint of chronos/bolt", "amazon/chronos-bolt-small")]
    [InlineData("prophet.yaml", "Variant", "bolt", "Model prophet has no variants", "leave the variant empty")]
    public async Task A_choice_that_disagrees_with_the_config_is_refused_naming_both_never_substituted(string config, string field, string value, string message, string detail)
    {
        var response = await PostFormAsync(new() { ["Config"] = config, [field] = value });

        response.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/runs/new");
        string page = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        page.Should().Contain(message).And.Contain(detail);
    }

    [Fact]
    public async Task The_form_offers_the_models_variants_and_checkpoints_of_the_trainers_catalog()
    {
        string page = System.Net.WebUtility.HtmlDecode(await _client.GetStringAsync("/runs/new"));
        var catalog = Core.Models.RegisteredModels.Parse(await File.ReadAllBytesAsync(Path.Combine(_runs.Output, Core.Models.RegisteredModels.Key)), "catalog");

        foreach (var model in catalog.Models)
        {
            page.Should().Contain($"<option value=\"{model.Name}\"");
            foreach (var checkpoint in model.Variants.SelectMany(v => v.Checkpoints)) page.Should().Contain($"value=\"{checkpoint.Reference}\"");
        }
        catalog.Find("chronos")!.Variants.Select(v => v.Name).Should().Contain(["bolt", "t5", "chronos2"]);
        page.Should().Contain("chronos-bolt.yaml — chronos/bolt@models/dummy-chronos-bolt-model", "each config says which model it is written for");
    }

    [Fact]
    public async Task A_challenger_gets_its_share_of_the_series_through_the_run_requests_model_flag()
    {
        var started = await PostFormAsync(new() { ["Config"] = "default-config.yaml", ["Challenger"] = "naive", ["ChallengerShare"] = "30" });
        string jobPath = started.RequestMessage!.RequestUri!.AbsolutePath;
        jobPath.Should().StartWith("/jobs/", await started.Content.ReadAsStringAsync());

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        JsonElement job;
        do
        {
            await Task.Delay(500, deadline.Token);
            job = JsonDocument.Parse(await _client.GetStringAsync("/data" + jobPath, deadline.Token)).RootElement;
        }
        while (job.GetProperty("state").GetString() is "Queued" or "Running");

        string log = string.Join("\n", job.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));
        job.GetProperty("state").GetString().Should().Be("Succeeded", log);
        job.GetProperty("localProcess").GetBoolean().Should().BeTrue();
        log.Should().Contain("Feature flag Model routes series by unique_id percentile to seasonal_naive, naive");
        string runId = job.GetProperty("runId").GetString()!;
        string flags = await File.ReadAllTextAsync(Path.Combine(_runs.Output, "runs", runId, "flags.yaml"));
        flags.Should().Contain($"source: run request {jobPath["/jobs/".Length..]}");
        // The request and its status stay beside the runs: the same files a deployed Trainer would read and write.
        File.Exists(Path.Combine(_runs.Output, "requests", jobPath["/jobs/".Length..] + ".json")).Should().BeTrue();
        File.Exists(Path.Combine(_runs.Output, "request-status", jobPath["/jobs/".Length..] + ".json")).Should().BeTrue();
    }

    private int RequestFiles() =>
        Directory.Exists(Path.Combine(_runs.Output, "requests")) ? Directory.GetFiles(Path.Combine(_runs.Output, "requests")).Length : 0;

    /// <summary>Posts the start form with its antiforgery token (and the cookie the client keeps) and the given fields.</summary>
    private async Task<HttpResponseMessage> PostFormAsync(Dictionary<string, string> fields)
    {
        string form = await _client.GetStringAsync("/runs/new");
        fields["__RequestVerificationToken"] = TokenField().Match(form).Groups[1].Value;
        return await _client.PostAsync("/runs/new", new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Forecast.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("Forecast.sln not found above " + AppContext.BaseDirectory);
    }
}
