using System.Globalization;
using Forecast.Dashboard.Tests;
using Microsoft.Playwright;

namespace Forecast.AppHost.Tests;

/// <summary>
/// The stack as a user meets it: `dotnet run --project AppHost` (the shared fixture: s3rver, bucket, the Trainer's
/// launch run, Evaluator, Dashboard), then in a real browser the Dashboard starts a Prophet run and a Chronos-Bolt run
/// from its form (run requests in the bucket, run by Trainer processes), both complete, the leaderboard ranks both
/// models as separate rows of one setup, and the run page shows the feature flags that applied. No page may log a
/// console error.
/// </summary>
[Collection(ForecastStackCollection.Name)]
public sealed class DashboardStackBrowserTests(ForecastStackFixture stack) : IAsyncLifetime
{
    private Browser _browser = null!;

    public async Task InitializeAsync()
    {
        if (Browser.ExecutablePath is not null) _browser = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }

    [ChromiumFact, Trait("Requires", "chromium")]
    public async Task The_dashboard_starts_a_prophet_and_a_chronos_bolt_run_that_rank_side_by_side_and_show_their_flags()
    {
        var page = await _browser.NewPageAsync(stack.App.GetEndpoint("dashboard", "http"));
        // Pages read the bucket (s3rver) while Trainer processes run on the same 2 shared cores: allow for a slow page.
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync("/");
        await Browser.ScreenshotAsync(page, "stack-1-runs");

        var (prophetRequest, prophetRun) = await StartAsync(page, "prophet.yaml", checkpoint: null, "stack-2-prophet");
        var (_, boltRun) = await StartAsync(page, "chronos-bolt.yaml", checkpoint: "models/dummy-chronos-bolt-model", "stack-3-bolt");

        // The leaderboard: both models, each a row of the same setup (same data, holdout, horizon 18), beside the launch run.
        await page.GotoAsync("/leaderboard?dataset=rdatasets_monthly");
        var setup = page.Locator("section.leaderboard-group").Filter(new LocatorFilterOptions { HasText = "holdout, horizon 18, 1 window" });
        (await setup.CountAsync()).Should().Be(1);
        var rows = await setup.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.model)");
        rows.Should().Contain(["prophet", "chronos/bolt@models/dummy-chronos-bolt-model", "seasonal_naive"]).And.OnlyHaveUniqueItems();
        (await setup.Locator("tr[data-model='prophet'] a").InnerTextAsync()).Should().Be(prophetRun);
        (await setup.Locator("tr[data-model='chronos/bolt@models/dummy-chronos-bolt-model'] a").InnerTextAsync()).Should().Be(boltRun);
        await Browser.ScreenshotAsync(page, "stack-4-leaderboard");

        // The run page says what ran: the model's identity and every flag with its source and what it changed.
        await page.ClickAsync($"a:text-is('{boltRun}')");
        await page.WaitForURLAsync($"**/runs/{boltRun}");
        (await page.Locator("#run-model").InnerTextAsync()).Should().Be("chronos/bolt@models/dummy-chronos-bolt-model");
        (await page.Locator("#run-variant").InnerTextAsync()).Should().Be("bolt");
        var eda = page.Locator("#run-flags tr[data-flag='Eda']");
        (await eda.GetAttributeAsync("data-defined")).Should().Be("true");
        (await eda.InnerTextAsync()).Should().Contain("false").And.Contain("environment variable FeatureManagement__Eda").And.Contain("eda.enabled: true -> false");
        (await page.Locator("#run-flags tr[data-flag='Model'] td").First.InnerTextAsync()).Should().Be("not defined");
        (await page.Locator("#eda-summary").InnerTextAsync()).Should().Contain("switched off");
        await page.Locator("#forecast-chart[data-state='drawn']").WaitForAsync();
        await Browser.ScreenshotAsync(page, "stack-5-run");

        _browser.Errors.Should().BeEmpty("no Dashboard page may log a console error, throw, or fail to load a resource");

        // In the Aspire dashboard a Dashboard-started run is the service "trainer" (instance: its request id), not "dashboard".
        (await RunSpanServicesAsync(prophetRun)).Should().Equal(("trainer", prophetRequest));
    }

    /// <summary>The (service, instance id) of every telemetry resource whose "run" span has run id <paramref name="runId"/>.</summary>
    private async Task<IReadOnlyList<(string, string)>> RunSpanServicesAsync(string runId)
    {
        using var telemetry = new TelemetryApi(stack.DashboardUrl, stack.DashboardApiKey);
        var found = new List<(string, string)>();
        for (int attempt = 0; attempt < 30 && found.Count == 0; attempt++)
        {
            if (attempt > 0) await Task.Delay(1000);
            foreach (string service in new[] { "trainer", "dashboard" })
            foreach (var (instance, spans) in await telemetry.SpansAsync(service))
                if (TelemetryApi.Spans(spans, "Forecast.Trainer").Any(s => s.GetProperty("name").GetString() == "run" && TelemetryApi.Attribute(s, "forecast.run_id") == runId))
                    found.Add((service, instance));
        }
        return found;
    }

    /// <summary>Starts a run from the form, follows its job page to the end, and returns the request's and the committed run's ids.</summary>
    private static async Task<(string Request, string Run)> StartAsync(IPage page, string config, string? checkpoint, string screenshot)
    {
        await page.GotoAsync("/runs/new");
        await page.SelectOptionAsync("#Config", config);
        if (checkpoint is not null) await page.SelectOptionAsync("#Checkpoint", checkpoint);
        await page.ClickAsync("#start-run-button");
        // The job page, or the form again with what it refused.
        try
        {
            await page.Locator("#job, #form-errors").First.WaitForAsync();
        }
        catch (TimeoutException)
        {
            await Browser.ScreenshotAsync(page, screenshot);
            throw new Xunit.Sdk.XunitException($"starting {config}: no job page at {page.Url}: {await page.Locator("body").InnerTextAsync()}");
        }
        if (await page.Locator("#form-errors").CountAsync() > 0)
        {
            await Browser.ScreenshotAsync(page, screenshot);
            throw new Xunit.Sdk.XunitException($"the form refused {config}: {await page.Locator("#form-errors").InnerTextAsync()}");
        }
        await page.Locator("#job[data-state='succeeded'], #job[data-state='failed']").WaitForAsync(new LocatorWaitForOptions { Timeout = 300_000 });
        await Browser.ScreenshotAsync(page, screenshot);
        (await page.Locator("#job").GetAttributeAsync("data-state")).Should().Be("succeeded", await page.Locator("#job-log").InnerTextAsync());
        (await page.Locator("#job-progress").GetAttributeAsync("value")).Should().Be(100.ToString(CultureInfo.InvariantCulture));
        return (page.Url[(page.Url.LastIndexOf('/') + 1)..], await page.Locator("#job-run-link").InnerTextAsync());
    }
}
