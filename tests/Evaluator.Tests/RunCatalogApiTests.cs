using Forecast.Core.Artifacts;
using Forecast.Evaluator.Model;

namespace Forecast.Evaluator.Tests;

/// <summary>
/// The Evaluator's lists as the run catalog keeps them while runs come and go: a run committed by the real Trainer
/// while the Evaluator is up, a run copied in without its index entry (as runs written before the index existed), a
/// half-written run with a forged index entry. Each test has its own output folder.
/// </summary>
[Collection(TrainedRunsCollection.Name)]
public sealed class RunCatalogApiTests(TrainedRuns runs) : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "forecast-evaluator-catalog-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_output, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Runs_committed_while_the_Evaluator_is_up_appear_on_the_next_list_and_half_written_runs_never_do()
    {
        // Before start: a committed run without an index entry (its folder copied alone), and a half-written run
        // (no manifest) with an index entry made from a real one.
        string copied = runs.MeanHoldout;
        CopyFolder(Path.Combine(runs.Output, "runs", copied), Path.Combine(_output, "runs", copied));
        const string halfWritten = "20200102T000000Z-half-000000";
        Directory.CreateDirectory(Path.Combine(_output, "runs", halfWritten));
        await File.WriteAllTextAsync(Path.Combine(_output, "runs", halfWritten, "config.yaml"), "run:\n  name: half\n");
        string entry = Directory.GetFiles(Path.Combine(runs.Output, "index", "runs")).Single(f => f.EndsWith($"-{copied}.json", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(_output, "index", "runs"));
        await File.WriteAllTextAsync(Path.Combine(_output, "index", "runs", Path.GetFileName(entry).Replace(copied, halfWritten, StringComparison.Ordinal)),
            (await File.ReadAllTextAsync(entry)).Replace(copied, halfWritten, StringComparison.Ordinal));

        using var app = new EvaluatorApp(_output, new Dictionary<string, string> { ["RunCatalog:ChangeCheckInterval"] = "00:00:00", ["RunCatalog:ChangeCheckWait"] = "00:01:00" });
        using var client = app.CreateClient();
        var before = await app.GetAsync<PagedResult<RunSummary>>(client, "/api/runs");
        before.Items.Select(r => r.RunId).Should().Equal(copied);
        before.Items[0].Model.Should().Be("mean");

        string committed = await TrainedRuns.TrainIntoAsync(_output, TrainedRuns.Fixture("rdatasets_monthly.csv"), "model.name=naive");

        var after = await app.GetAsync<PagedResult<RunSummary>>(client, "/api/runs");
        after.Items.Select(r => r.RunId).Should().Equal(committed, copied);
        after.Items[0].Should().BeEquivalentTo(new { Model = "naive", Dataset = "rdatasets_monthly", Series = 9 });
        after.Items[0].DataSha256.Should().MatchRegex("^[0-9a-f]{64}$");
        var board = await app.GetAsync<Leaderboard>(client, "/api/leaderboard");
        board.Models.Select(m => m.Model).Should().BeEquivalentTo("naive", "mean");
        (await app.GetAsync<PagedResult<RunSummary>>(client, $"/api/runs?model=naive&from={DateTime.UtcNow.AddHours(-1):O}")).Items.Select(r => r.RunId).Should().Equal(committed);
        (await client.GetAsync($"/api/runs/{halfWritten}")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
