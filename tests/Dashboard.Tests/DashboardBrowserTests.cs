using System.Globalization;
using Microsoft.Playwright;

namespace Forecast.Dashboard.Tests;

/// <summary>The Dashboard in a real browser (Debian's chromium through Playwright) against the real app on 127.0.0.1.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardRuns runs) : IAsyncLifetime
{
    private DashboardApp _app = null!;
    private Browser _browser = null!;

    public async Task InitializeAsync()
    {
        _app = new DashboardApp(runs);
        if (Browser.ExecutablePath is not null) _browser = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        await _app.DisposeAsync();
    }

    [ChromiumFact, Trait("Requires", "chromium")]
    public async Task List_then_run_then_chart_then_leaderboard_then_start_a_run_and_see_it_complete()
    {
        var page = await _browser.NewPageAsync(_app.BaseAddress);

        // The runs list: every committed run with its status and key metrics.
        await page.GotoAsync("/");
        var rows = page.Locator("#runs tbody tr");
        (await rows.CountAsync()).Should().BeGreaterThanOrEqualTo(4);
        var row = page.Locator($"#runs tr[data-run-id='{runs.SeasonalNaiveHoldout}']");
        (await row.Locator(".status").InnerTextAsync()).Should().Be("committed");
        (await row.InnerTextAsync()).Should().Contain("seasonal_naive").And.Contain("rdatasets_monthly");
        await Browser.ScreenshotAsync(page, "1-runs");

        // Open the run: metrics table, EDA summary and the chart of the first series.
        await row.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync($"**/runs/{runs.SeasonalNaiveHoldout}");
        (await page.Locator("#dataset-metrics tbody tr").CountAsync()).Should().BeGreaterThan(5);
        (await page.Locator("#eda-summary").InnerTextAsync()).Should().Contain("Series").And.Contain("Detected seasons");
        var chart = page.Locator("#forecast-chart[data-state='drawn']");
        await chart.WaitForAsync();
        (await page.Locator("#chart-series").InnerTextAsync()).Should().Be("AirPassengers");
        int history = DashboardRuns.FixtureLength("AirPassengers");
        history.Should().Be(144);
        (await Attribute(chart, "data-points")).Should().Be(history + 18, "the time axis holds the 144 months of history and the 18 forecast months");
        (await Attribute(chart, "data-history-points")).Should().Be(history);
        (await Attribute(chart, "data-forecast-points")).Should().Be(18);
        (await Attribute(chart, "data-actual-points")).Should().Be(18, "the holdout window's actuals are drawn");
        (await page.Locator("#forecast-chart canvas").CountAsync()).Should().BeGreaterThan(0);
        await Browser.ScreenshotAsync(page, "2-run");

        // Zoom: dragging across the plot narrows the time axis.
        await page.Locator("#forecast-chart .u-over").ScrollIntoViewIfNeededAsync();
        var box = (await page.Locator("#forecast-chart .u-over").BoundingBoxAsync())!;
        double before = double.Parse((await chart.GetAttributeAsync("data-x-max"))!, CultureInfo.InvariantCulture) - double.Parse((await chart.GetAttributeAsync("data-x-min"))!, CultureInfo.InvariantCulture);
        await page.Mouse.MoveAsync(box.X + box.Width * 0.5f, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.9f, box.Y + box.Height / 2, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        double after = double.Parse((await chart.GetAttributeAsync("data-x-max"))!, CultureInfo.InvariantCulture) - double.Parse((await chart.GetAttributeAsync("data-x-min"))!, CultureInfo.InvariantCulture);
        after.Should().BeLessThan(before * 0.6);
        await Browser.ScreenshotAsync(page, "3-zoomed");

        // Another series through the search.
        await page.FillAsync("#series-filter input[name=q]", "deaths");
        await page.ClickAsync("#series-filter button");
        await page.WaitForURLAsync("**q=deaths**");
        (await page.Locator("#series tbody tr").CountAsync()).Should().Be(5);
        await page.ClickAsync("#series a.series-link >> text=ldeaths");
        await page.WaitForURLAsync("**series=ldeaths**");
        await page.Locator("#forecast-chart[data-state='drawn']").WaitForAsync();
        (await page.Locator("#chart-series").InnerTextAsync()).Should().Be("ldeaths");
        (await Attribute(page.Locator("#forecast-chart"), "data-points")).Should().Be(DashboardRuns.FixtureLength("ldeaths") + 18);

        // The leaderboard: one table per evaluation setup (data, mode, horizon, windows), models ranked inside it.
        await page.ClickAsync("#nav-leaderboard");
        await page.WaitForURLAsync("**/leaderboard");
        await page.SelectOptionAsync("select[name=dataset]", "rdatasets_monthly");
        // Waiting starts before the click: the leaderboard comes from the output cache fast enough to load before a
        // wait begun after the click would see the navigation.
        var filtered = page.WaitForURLAsync("**dataset=rdatasets_monthly**");
        await page.ClickAsync("form.filters button");
        await filtered;
        var groups = page.Locator("section.leaderboard-group");
        var holdout = groups.Filter(new LocatorFilterOptions { HasText = "holdout, horizon 18, 1 window" });
        var backtest = groups.Filter(new LocatorFilterOptions { HasText = "backtest, horizon 12, 2 windows" });
        (await holdout.CountAsync()).Should().Be(1, "the holdout runs are one setup");
        (await backtest.CountAsync()).Should().Be(1, "the 2-window backtest is another");
        (await holdout.Locator("tr[data-model='seasonal_naive'] td").Nth(6).InnerTextAsync()).Should().Be("1", "seasonal naive's WQL relative to itself");
        var backtestModels = await backtest.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.model)");
        backtestModels.Should().Equal("naive");
        await Browser.ScreenshotAsync(page, "4-leaderboard");

        // Start a run: a choice that disagrees with the config is refused, with the reason on the page.
        await page.ClickAsync("#nav-new-run");
        await page.SelectOptionAsync("#Config", "prophet.yaml");
        await page.SelectOptionAsync("#Model", "seasonal_naive");
        await page.ClickAsync("#start-run-button");
        (await page.Locator("#form-errors").InnerTextAsync()).Should().Contain("prophet.yaml is written for model prophet");

        // A run request of the default config: the Trainer runs as a process; the page follows it until the run is committed.
        await page.SelectOptionAsync("#Config", "default-config.yaml");
        await page.SelectOptionAsync("#Model", "");
        await page.FillAsync("#Horizon", "6");
        await page.ClickAsync("#start-run-button");
        await page.WaitForURLAsync("**/jobs/*");
        await page.Locator("#job[data-state='succeeded'], #job[data-state='failed']").WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });
        await Browser.ScreenshotAsync(page, "5-run-completed");
        (await page.Locator("#job").GetAttributeAsync("data-state")).Should().Be("succeeded", await page.Locator("#job-log").InnerTextAsync());
        (await page.Locator("#job-progress").GetAttributeAsync("value")).Should().Be("100");
        (await page.Locator("#job-log").InnerTextAsync()).Should().Contain("committed");
        await page.ClickAsync("#job-run-link");
        await page.WaitForURLAsync("**/runs/*");
        (await page.Locator("#run-model").InnerTextAsync()).Should().Be("seasonal_naive");
        (await page.Locator("#dataset-metrics").InnerTextAsync()).Should().Contain("mase");
        (await page.Locator("#run-flags tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.flag)")).Should().Equal("Eda", "Plots", "FineTuning", "Model");
        await page.Locator("#forecast-chart[data-state='drawn']").WaitForAsync();
        (await Attribute(page.Locator("#forecast-chart"), "data-forecast-points")).Should().Be(6);

        _browser.Errors.Should().BeEmpty("no Dashboard page may log a console error, throw, or fail to load a resource");
    }

    [ChromiumFact, Trait("Requires", "chromium")]
    public async Task A_series_id_holding_a_script_tag_is_shown_as_text_and_never_runs()
    {
        var page = await _browser.NewPageAsync(_app.BaseAddress);
        bool dialog = false;
        page.Dialog += (_, d) => { dialog = true; _ = d.DismissAsync(); };
        await page.GotoAsync($"/runs/{runs.ScriptRun}?series={Uri.EscapeDataString(DashboardRuns.ScriptId)}");
        await page.Locator("#forecast-chart[data-state='drawn']").WaitForAsync();
        (await page.Locator("#chart-series").InnerTextAsync()).Should().Be(DashboardRuns.ScriptId);
        (await page.Locator("#series a.series-link", new PageLocatorOptions { HasText = "alert('x')" }).InnerTextAsync()).Should().Be(DashboardRuns.ScriptId);
        var inlineScripts = await page.Locator("script").EvaluateAllAsync<int>("s => s.filter(e => e.textContent.includes('alert')).length");
        inlineScripts.Should().Be(0);
        (await Attribute(page.Locator("#forecast-chart"), "data-points")).Should().Be(DashboardRuns.FixtureLength("nottem") + 18);
        dialog.Should().BeFalse();
        await Browser.ScreenshotAsync(page, "6-script-id");
        _browser.Errors.Should().BeEmpty();
    }

    [ChromiumFact, Trait("Requires", "chromium")]
    public async Task Thousands_of_series_are_paged_and_searched()
    {
        var page = await _browser.NewPageAsync(_app.BaseAddress);
        await page.GotoAsync($"/runs/{runs.ManySeriesRun}");
        (await page.Locator("#series tbody tr").CountAsync()).Should().Be(50);
        (await page.Locator(".pager").Last.InnerTextAsync()).Should().Contain($"page 1 of {DashboardRuns.ManySeries / 50}");
        await page.ClickAsync("a[rel=next]");
        await page.WaitForURLAsync("**p=2**");
        (await page.Locator("#series tbody tr").First.InnerTextAsync()).Should().StartWith("s0050");
        await page.FillAsync("#series-filter input[name=q]", "s119");
        await page.ClickAsync("#series-filter button");
        await page.WaitForURLAsync("**q=s119**");
        (await page.Locator("#series tbody tr").CountAsync()).Should().Be(10);
        await page.Locator("#forecast-chart[data-state='drawn']").WaitForAsync();
        (await Attribute(page.Locator("#forecast-chart"), "data-points")).Should().Be(48 + 6);
        _browser.Errors.Should().BeEmpty();
    }

    private static async Task<int> Attribute(ILocator locator, string name) =>
        int.Parse((await locator.GetAttributeAsync(name))!, CultureInfo.InvariantCulture);
}
