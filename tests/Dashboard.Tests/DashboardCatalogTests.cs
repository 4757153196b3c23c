namespace Forecast.Dashboard.Tests;

/// <summary>
/// The runs page and the leaderboard are served from memory (RunCatalogPageCache) while the run catalog is unchanged, and a run
/// committed while the Dashboard is up shows on the next request (the cache is keyed by the catalog's version); a
/// half-written run with a forged index entry never shows. Each test has its own artifact root, filled with copies of
/// the fixture's real Trainer runs.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardCatalogTests(DashboardRuns runs) : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "forecast-dashboard-catalog-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_output, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Cached_pages_show_a_run_committed_while_the_Dashboard_is_up_on_the_next_request_and_never_a_half_written_one()
    {
        string first = runs.SeasonalNaiveHoldout, later = runs.NaiveBacktest;
        CopyRun(first);
        const string halfWritten = "20200102T000000Z-half-000000";
        Directory.CreateDirectory(Path.Combine(_output, "runs", halfWritten));
        await File.WriteAllTextAsync(Path.Combine(_output, "runs", halfWritten, "config.yaml"), "run:\n  name: half\n");
        string entry = IndexEntry(first);
        await File.WriteAllTextAsync(Path.Combine(_output, "index", "runs", Path.GetFileName(entry).Replace(first, halfWritten, StringComparison.Ordinal)),
            (await File.ReadAllTextAsync(entry)).Replace(first, halfWritten, StringComparison.Ordinal));

        using var app = new DashboardApp(runs, new Dictionary<string, string>
        {
            ["Dashboard:ArtifactRoot"] = _output, ["RunCatalog:ChangeCheckInterval"] = "00:00:00", ["RunCatalog:ChangeCheckWait"] = "00:01:00",
        });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };

        string page = await client.GetStringAsync("/");
        page.Should().Contain(first).And.NotContain(later).And.NotContain(halfWritten);
        using (var again = await client.GetAsync("/"))
        {
            again.Headers.Age.Should().NotBeNull("the unchanged runs page is served from the page cache, not rendered again");
            (await again.Content.ReadAsStringAsync()).Should().Be(page);
        }
        (await client.GetStringAsync("/leaderboard")).Should().Contain(first).And.NotContain(later);

        // A commit as the Trainer makes it: the run's files (manifest last), then its index entry.
        CopyRun(later);

        (await client.GetStringAsync("/")).Should().Contain(later).And.Contain(first).And.NotContain(halfWritten);
        (await client.GetStringAsync("/leaderboard")).Should().Contain(later);
    }

    private string IndexEntry(string runId) =>
        Directory.GetFiles(Path.Combine(runs.Output, "index", "runs")).Single(f => f.EndsWith($"-{runId}.json", StringComparison.Ordinal));

    private void CopyRun(string runId)
    {
        string from = Path.Combine(runs.Output, "runs", runId), to = Path.Combine(_output, "runs", runId);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories).OrderBy(f => Path.GetFileName(f) == "manifest.json"))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        string entry = IndexEntry(runId);
        Directory.CreateDirectory(Path.Combine(_output, "index", "runs"));
        File.Copy(entry, Path.Combine(_output, "index", "runs", Path.GetFileName(entry)));
    }
}
