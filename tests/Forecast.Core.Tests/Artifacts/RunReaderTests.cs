using Forecast.Core.Artifacts;

namespace Forecast.Core.Tests.Artifacts;

public sealed class RunReaderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "run-reader-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("20261127T061500Z-default-3f9a1c", true)]
    [InlineData("run_1.v2", true)]
    [InlineData("..", false)]
    [InlineData("a..b", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("", false)]
    [InlineData("<script>", false)]
    public void Run_ids_from_urls_are_checked_before_any_store_access(string id, bool valid)
    {
        RunIds.IsValid(id).Should().Be(valid);
    }

    [Fact]
    public async Task Only_committed_runs_are_read_and_only_files_their_manifest_lists()
    {
        var store = new LocalFolderArtifactStore(_root);
        var writer = new RunWriter(store, "20260101T000000Z-ok-000001");
        await writer.PutTextAsync("metrics.yaml", "dataset:\n  name: d\n  model: m\n  series: 2\n  metrics:\n    mase: 0.5\n    wql: .nan\n");
        await writer.PutTextAsync("config.yaml", "run:\n  name: ok\ndata:\n  path: data/d.csv\nmodel:\n  name: m\nextra: ignored\n");
        await writer.CommitAsync();
        var crashed = new RunWriter(store, "20260101T000000Z-crashed-000002");
        await crashed.PutTextAsync("metrics.yaml", "dataset:\n  name: d\n");
        await store.PutAsync("runs/20260101T000000Z-ok-000001/stray.txt", "not in the manifest"u8.ToArray());

        var reader = new RunReader(store);
        var runs = await reader.ListAsync();

        runs.Should().ContainSingle().Which.Should().BeEquivalentTo(new { RunId = "20260101T000000Z-ok-000001", RunName = "ok", Dataset = "d", Model = "m", Series = 2 });
        runs[0].Metrics["mase"].Should().Be(0.5);
        double.IsNaN(runs[0].Metrics["wql"]).Should().BeTrue();
        (await reader.GetSummaryAsync("20260101T000000Z-crashed-000002")).Should().BeNull();
        (await reader.ReadFileAsync("20260101T000000Z-ok-000001", "stray.txt")).Should().BeNull();
        (await reader.ReadFileAsync("20260101T000000Z-ok-000001", "../20260101T000000Z-crashed-000002/metrics.yaml")).Should().BeNull();
        (await reader.ReadConfigAsync("20260101T000000Z-ok-000001"))!.Data.Path.Should().Be("data/d.csv");
        await reader.Invoking(r => r.GetManifestAsync("../etc")).Should().ThrowAsync<ArgumentException>().WithMessage("*not a run id*");
    }

    private static RunSummary Run(string id, string dataset, string model, int minute, double relativeMase, double relativeWql,
        string sha = "aaaa", int horizon = 12, string mode = "holdout") =>
        new(id, "committed", new DateTime(2026, 1, 1, 0, minute, 0), default, "r", dataset, model, 1, mode, horizon, 1,
            new Dictionary<string, double> { ["mase"] = relativeMase, ["wql"] = relativeWql },
            new Dictionary<string, double> { ["mase"] = relativeMase, ["wql"] = relativeWql }, 1, sha, horizon);

    [Fact]
    public void The_leaderboard_takes_the_newest_run_per_setup_and_model_and_the_geometric_mean_over_setups()
    {
        var board = RunLeaderboard.Build(
        [
            Run("old", "d1", "chronos", 0, 9, 9), // superseded by "new"
            Run("new", "d1", "chronos", 5, 0.5, 0.4),
            Run("d2", "d2", "chronos", 1, 2, 0.9, sha: "bbbb"),
            Run("sn1", "d1", "seasonal_naive", 1, 1, 1),
            Run("sn2", "d2", "seasonal_naive", 1, 1, 1, sha: "bbbb"),
        ]);

        board.Entries.Should().HaveCount(4).And.NotContain(e => e.RunId == "old");
        board.Groups.Should().HaveCount(2);
        var chronos = board.Models.Single(m => m.Model == "chronos");
        chronos.Datasets.Should().Be(2);
        chronos.Setups.Should().Be(2);
        chronos.Complete.Should().BeTrue();
        chronos.GeometricMeanRelativeMase.Should().BeApproximately(1.0, 1e-12); // sqrt(0.5 · 2)
        chronos.GeometricMeanRelativeWql.Should().BeApproximately(Math.Sqrt(0.4 * 0.9), 1e-12);
        board.Models.Select(m => m.Model).Should().Equal("chronos", "seasonal_naive"); // ranked by relative WQL
    }

    [Fact]
    public void Runs_on_other_data_or_other_evaluation_settings_are_never_ranked_against_each_other()
    {
        var board = RunLeaderboard.Build(
        [
            Run("sn", "d1", "seasonal_naive", 0, 1, 1),
            Run("bolt", "d1", "chronos/bolt@amazon/chronos-bolt-small", 1, 0.8, 0.7),
            Run("t5", "d1", "chronos/t5@amazon/chronos-t5-small", 2, 0.9, 0.6),
            Run("h6", "d1", "prophet", 3, 0.1, 0.1, horizon: 6),          // another horizon: its own setup
            Run("edited", "d1", "naive", 4, 0.2, 0.2, sha: "cccc"),       // the data file changed: its own setup
            Run("backtest", "d1", "mean", 5, 0.3, 0.3, mode: "backtest"), // another mode: its own setup
        ]);

        board.Groups.Should().HaveCount(4);
        var main = board.Groups.Single(g => g.Setup == new Forecast.Core.Evaluation.EvaluationSetup("d1", "aaaa", "holdout", 12, 1, 12));
        main.Entries.Select(e => e.Model).Should().Equal("chronos/t5@amazon/chronos-t5-small", "chronos/bolt@amazon/chronos-bolt-small", "seasonal_naive");
        main.Title.Should().Contain("d1").And.Contain("holdout").And.Contain("horizon 12");
        foreach (var other in board.Groups.Where(g => g != main)) other.Entries.Should().ContainSingle();
        board.Models.Should().OnlyContain(m => !m.Complete, "no model ran in every setup");
    }

    [Theory]
    [InlineData("seasonal_naive", "seasonal_naive", null, null)]
    [InlineData("chronos/bolt@amazon/chronos-bolt-small", "chronos", "bolt", "amazon/chronos-bolt-small")]
    [InlineData("chronos/t5@models/dummy-chronos-model", "chronos", "t5", "models/dummy-chronos-model")]
    [InlineData("chronos/bolt@amazon/chronos-bolt-small@rev/1", "chronos", "bolt", "amazon/chronos-bolt-small@rev/1")]
    [InlineData("naive|seasonal_naive", "naive|seasonal_naive", null, null)]
    public void A_model_identity_is_name_variant_and_checkpoint_and_reads_back_from_its_text(string text, string name, string? variant, string? checkpoint)
    {
        var identity = Forecast.Core.Models.ModelIdentity.Parse(text);

        identity.Should().Be(new Forecast.Core.Models.ModelIdentity(name, variant, checkpoint));
        identity.ToString().Should().Be(text);
    }
}
