using Forecast.Core.Artifacts;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Sharding;

namespace Forecast.Trainer.Tests.Sharding;

/// <summary>
/// N shards then a merge give the run a single process gives: the same forecasts, evaluation forecasts and metrics,
/// byte for byte, on a local folder (in-process and as N separate processes). The S3 case is in S3ShardedRunTests.
/// </summary>
public class ShardedRunTests
{
    /// <summary>The files a merged run shares byte for byte with a single run (config.yaml differs only if run.output does).</summary>
    internal static readonly string[] SameFiles =
        ["forecasts.csv", "forecasts.parquet", "metrics.yaml", "evaluation/forecasts.csv", "cleaning.yaml", "data_fingerprint.yaml", "eda/eda.yaml"];

    private static string[] Args(TrainerRun run, params string[] extra) =>
        ["--config", TrainerRun.DefaultConfig, "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}", .. extra];

    private static async Task<RunManifest> SingleRunAsync(TrainerRun single, params string[] overrides)
    {
        var (code, _, err) = await TrainerRun.InProcessAsync(Args(single, [.. overrides.SelectMany(o => new[] { "--set", o })]));
        code.Should().Be(ExitCodes.Ok, err);
        return (await single.CommittedRunsAsync()).Single();
    }

    internal static void ShouldEqualSingleRun(string mergedFolder, RunManifest merged, string singleFolder, RunManifest single)
    {
        merged.Files.Select(f => f.Path).Should().BeEquivalentTo(single.Files.Select(f => f.Path).Append(MergeRun.ShardsFileName));
        foreach (string file in SameFiles)
            File.ReadAllBytes(Path.Combine(mergedFolder, "runs", merged.RunId, file))
                .Should().Equal(File.ReadAllBytes(Path.Combine(singleFolder, "runs", single.RunId, file)), file);
        // The merge commits through the same writer, so the run index has its entry too (index/runs/<…>-<run id>.json).
        string entry = Directory.GetFiles(Path.Combine(mergedFolder, "index", "runs")).Should().ContainSingle(f => f.EndsWith($"-{merged.RunId}.json", StringComparison.Ordinal)).Subject;
        File.ReadAllText(entry).Should().Contain("mase", "its summary holds the merged metrics");
    }

    [Theory]
    [InlineData(3, "holdout", 1, false)] // every shard reads the whole input and keeps its series
    [InlineData(3, "holdout", 1, true)] // the partition step first: every shard reads only its part
    [InlineData(2, "backtest", 3, true)]
    [InlineData(20, "holdout", 1, true)] // more shards than series: most parts and shards are empty, and still commit so the merge finds them
    public async Task Shards_then_merge_equal_a_single_run(int shards, string mode, int windows, bool partitioned)
    {
        using var single = new TrainerRun();
        var singleRun = await SingleRunAsync(single, $"evaluation.mode={mode}", $"evaluation.windows={windows}", "evaluation.horizon=12");
        using var sharded = new TrainerRun();
        string[] set = ["--set", $"evaluation.mode={mode}", "--set", $"evaluation.windows={windows}", "--set", "evaluation.horizon=12"];
        if (partitioned)
        {
            var partition = await TrainerRun.InProcessAsync(Args(sharded, ["partition", .. set, "--batch", "nightly", "--partitions", $"{shards}"]));
            partition.ExitCode.Should().Be(ExitCodes.Ok, partition.Err);
        }

        for (int i = 0; i < shards; i++)
        {
            var (code, output, err) = await TrainerRun.InProcessAsync(Args(sharded, [.. set, "--shard", $"{i}/{shards}", "--batch", "nightly"]));
            code.Should().Be(ExitCodes.Ok, err);
            output.Should().Contain($"Shard {i}/{shards}:");
            if (partitioned) output.Should().Contain($"Loading part {i} of {shards} only");
            else output.Should().NotContain("Loading part");
        }
        (await sharded.CommittedRunsAsync()).Should().BeEmpty("shard runs live under shards/, never among the runs");
        var merge = await TrainerRun.InProcessAsync(Args(sharded, ["merge", .. set, "--batch", "nightly", "--shards", $"{shards}"]));

        merge.ExitCode.Should().Be(ExitCodes.Ok, merge.Err);
        var merged = (await sharded.CommittedRunsAsync()).Should().ContainSingle().Subject;
        (await RunCatalog.VerifyAsync(sharded.Store, merged)).Should().BeEmpty();
        ShouldEqualSingleRun(sharded.Output, merged, single.Output, singleRun);
    }

    [Fact]
    public async Task Shards_as_separate_processes_in_parallel_then_merge_equal_a_single_run()
    {
        using var single = new TrainerRun();
        var singleRun = await SingleRunAsync(single);
        using var sharded = new TrainerRun();
        const int shards = 3;

        var results = await Task.WhenAll(Enumerable.Range(0, shards).Select(i =>
            TrainerProcess.RunAsync(null, Args(sharded, "--shard", $"{i}/{shards}", "--batch", "b-1"))));
        foreach (var (code, _, err) in results) code.Should().Be(ExitCodes.Ok, err);
        var merge = await TrainerProcess.RunAsync(null, Args(sharded, "merge", "--batch", "b-1", "--shards", $"{shards}"));

        merge.ExitCode.Should().Be(ExitCodes.Ok, merge.Err);
        ShouldEqualSingleRun(sharded.Output, (await sharded.CommittedRunsAsync()).Single(), single.Output, singleRun);
    }

    [Fact]
    public async Task With_the_model_flag_routing_series_the_merged_run_records_the_same_assignments_and_forecasts()
    {
        // Half the series to seasonal naive, half to naive, by percentile of unique_id; as environment variables,
        // the way a task definition would set them.
        var flags = new Dictionary<string, string>
        {
            ["feature_management__feature_flags__0__id"] = "Model",
            ["feature_management__feature_flags__0__enabled"] = "true",
            ["feature_management__feature_flags__0__variants__0__name"] = "seasonal_naive",
            ["feature_management__feature_flags__0__variants__1__name"] = "naive",
            ["feature_management__feature_flags__0__allocation__percentile__0__variant"] = "seasonal_naive",
            ["feature_management__feature_flags__0__allocation__percentile__0__from"] = "0",
            ["feature_management__feature_flags__0__allocation__percentile__0__to"] = "50",
            ["feature_management__feature_flags__0__allocation__percentile__1__variant"] = "naive",
            ["feature_management__feature_flags__0__allocation__percentile__1__from"] = "50",
            ["feature_management__feature_flags__0__allocation__percentile__1__to"] = "100",
        };
        using var single = new TrainerRun();
        var one = await TrainerProcess.RunAsync(flags, Args(single));
        one.ExitCode.Should().Be(ExitCodes.Ok, one.Err);
        var singleRun = (await single.CommittedRunsAsync()).Single();
        using var sharded = new TrainerRun();

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => TrainerProcess.RunAsync(flags, Args(sharded, "--shard", $"{i}/2", "--batch", "routed"))));
        foreach (var (code, _, err) in results) code.Should().Be(ExitCodes.Ok, err);
        var merge = await TrainerProcess.RunAsync(flags, Args(sharded, "merge", "--batch", "routed", "--shards", "2"));

        merge.ExitCode.Should().Be(ExitCodes.Ok, merge.Err);
        var merged = (await sharded.CommittedRunsAsync()).Single();
        ShouldEqualSingleRun(sharded.Output, merged, single.Output, singleRun);
        string assignments = Path.Combine("runs", merged.RunId, MergeRun.AssignmentsFileName);
        File.ReadAllText(Path.Combine(sharded.Output, assignments)).Should().StartWith("naive: [")
            .And.Be(File.ReadAllText(Path.Combine(single.Output, "runs", singleRun.RunId, MergeRun.AssignmentsFileName)));
    }

    [Fact]
    public async Task A_missing_shard_is_a_named_error_saying_what_to_run_and_commits_nothing()
    {
        using var run = new TrainerRun();
        (await TrainerRun.InProcessAsync(Args(run, "--shard", "0/2", "--batch", "b"))).ExitCode.Should().Be(ExitCodes.Ok);

        var (code, _, err) = await TrainerRun.InProcessAsync(Args(run, "merge", "--batch", "b", "--shards", "2"));

        code.Should().Be(ExitCodes.DataError);
        err.Should().Contain("Shard 1/2 of batch 'b' is not committed").And.Contain("--shard 1/2 --batch b");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Merging_with_another_config_than_the_shards_is_a_named_error()
    {
        using var run = new TrainerRun();
        for (int i = 0; i < 2; i++) (await TrainerRun.InProcessAsync(Args(run, "--shard", $"{i}/2", "--batch", "b"))).ExitCode.Should().Be(ExitCodes.Ok);
        // The same data without its first series (AirPassengers is the first unique_id of the fixture).
        var lines = File.ReadAllLines(TrainerRun.SampleData);
        string fewer = run.Write("fewer.csv", string.Join('\n', lines.Where((l, i) => i == 0 || !l.StartsWith("AirPassengers,", StringComparison.Ordinal))));

        var (code, _, err) = await TrainerRun.InProcessAsync(Args(run, "merge", "--set", $"data.path={fewer}", "--batch", "b", "--shards", "2"));

        code.Should().Be(ExitCodes.DataError);
        err.Should().Contain("ran with another config than the merge's").And.Contain("rerun the shards");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_damaged_shard_run_is_a_named_error()
    {
        using var run = new TrainerRun();
        (await TrainerRun.InProcessAsync(Args(run, "--shard", "0/1", "--batch", "b"))).ExitCode.Should().Be(ExitCodes.Ok);
        File.WriteAllText(Path.Combine(run.Output, "shards", "runs", "b-shard-0-of-1", "forecasts.csv"), "truncated");

        var (code, _, err) = await TrainerRun.InProcessAsync(Args(run, "merge", "--batch", "b", "--shards", "1"));

        code.Should().Be(ExitCodes.DataError);
        err.Should().Contain("is damaged (forecasts.csv");
    }

    [Theory]
    [InlineData(new[] { "--shard", "4/4", "--batch", "b" }, "--shard", "between 0 and N-1 = 3")]
    [InlineData(new[] { "--shard", "0/4" }, "--batch", "needs --batch")]
    [InlineData(new[] { "--batch", "b" }, "--batch", "only applies with --shard")]
    [InlineData(new[] { "merge", "--batch", "b", "--shards", "0" }, "--shards", "between 1 and")]
    public async Task Bad_shard_arguments_are_config_errors_naming_the_option(string[] extra, string option, string why)
    {
        using var run = new TrainerRun();
        var (code, _, err) = await TrainerRun.InProcessAsync(Args(run, extra));
        code.Should().Be(ExitCodes.ConfigError);
        err.Should().Contain(option).And.Contain(why);
        run.FilesUnderRuns().Should().BeEmpty();
    }

    [Fact]
    public async Task A_shard_already_committed_in_its_batch_is_not_run_twice()
    {
        using var run = new TrainerRun();
        (await TrainerRun.InProcessAsync(Args(run, "--shard", "0/2", "--batch", "b"))).ExitCode.Should().Be(ExitCodes.Ok);
        var (code, _, err) = await TrainerRun.InProcessAsync(Args(run, "--shard", "0/2", "--batch", "b"));
        code.Should().Be(ExitCodes.ConfigError);
        err.Should().Contain("already committed").And.Contain("another --batch");
    }
}
