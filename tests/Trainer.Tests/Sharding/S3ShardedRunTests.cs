using Forecast.Core.Artifacts;
using Forecast.Core.Requests;
using Forecast.Core.Storage;
using Forecast.Core.Tests.Storage;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Sharding;

namespace Forecast.Trainer.Tests.Sharding;

/// <summary>
/// What the Fargate tasks do, against a real S3 (s3rver): N Trainer processes, each configured only by environment
/// variables as a task definition configures it, write shard runs to the bucket in parallel; a merge process then
/// commits one run there that equals a local single-process run byte for byte.
/// </summary>
public sealed class S3ShardedRunTests : IAsyncLifetime
{
    private S3rverProcess _server = null!;
    private S3ObjectStorage _storage = null!;
    private S3Uri _bucket;

    public async Task InitializeAsync()
    {
        _server = await S3rverProcess.StartAsync();
        _storage = _server.CreateStorage();
        _bucket = await _server.NewBucketAsync();
        await _storage.UploadAsync(_bucket.Append("input/rdatasets_monthly.csv"), await File.ReadAllBytesAsync(TrainerRun.SampleData));
    }

    public async Task DisposeAsync()
    {
        _storage.Dispose();
        await _server.DisposeAsync();
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Storage__S3__ServiceUrl"] = _server.ServiceUrl,
        ["Storage__S3__EmulatorMode"] = "true",
        ["AWS_ACCESS_KEY_ID"] = S3rverProcess.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3rverProcess.SecretKey,
    };

    [Fact]
    public async Task Partition_then_three_shard_processes_on_s3_then_merge_equal_a_local_single_run()
    {
        using var local = new TrainerRun();
        (await local.RunDefaultAsync()).ExitCode.Should().Be(ExitCodes.Ok);
        var single = (await local.CommittedRunsAsync()).Single();
        string output = _bucket.Append("forecast-runs").ToString();
        string[] common = ["--config", TrainerRun.DefaultConfig, "--set", $"data.path={_bucket.Append("input/rdatasets_monthly.csv")}", "--set", $"run.output={output}"];
        const int shards = 3;

        // As the Step Functions job starts them: the partition step, then one command for all shards, the shard and
        // batch in the environment; each shard reads only its part from the bucket.
        var partition = await TrainerProcess.RunAsync(new Dictionary<string, string>(Environment()) { ["FORECAST_BATCH"] = "s3batch" }, ["partition", .. common, "--partitions", $"{shards}"]);
        partition.ExitCode.Should().Be(ExitCodes.Ok, partition.Err);
        var results = await Task.WhenAll(Enumerable.Range(0, shards).Select(i =>
            TrainerProcess.RunAsync(new Dictionary<string, string>(Environment()) { ["FORECAST_SHARD"] = $"{i}/{shards}", ["FORECAST_BATCH"] = "s3batch" }, common)));
        foreach (var (code, log, err) in results)
        {
            code.Should().Be(ExitCodes.Ok, err);
            log.Should().Contain("series (FNV-1a-64").And.Contain($"Loading part").And.Contain("/shards/partitions/s3batch/part-");
        }
        var merge = await TrainerProcess.RunAsync(new Dictionary<string, string>(Environment()) { ["FORECAST_BATCH"] = "s3batch" }, ["merge", .. common, "--shards", $"{shards}"]);

        merge.ExitCode.Should().Be(ExitCodes.Ok, merge.Err);
        var shardStore = new S3ArtifactStore(_storage, S3Uri.Parse(ShardRun.StoreLocation(output)));
        (await RunCatalog.GetAsync(shardStore, "s3batch-shard-2-of-3")).Should().NotBeNull("shard runs are committed under <run.output>/shards/");
        var store = new S3ArtifactStore(_storage, _bucket.Append("forecast-runs"));
        var merged = (await RunCatalog.ListCommittedAsync(store)).Should().ContainSingle().Subject;
        (await RunCatalog.VerifyAsync(store, merged)).Should().BeEmpty();
        merged.Files.Select(f => f.Path).Should().BeEquivalentTo(single.Files.Select(f => f.Path).Append(MergeRun.ShardsFileName));
        // data_fingerprint.yaml names the data path (s3:// here), so it is left out of the byte comparison.
        foreach (string file in ShardedRunTests.SameFiles.Where(f => f != "data_fingerprint.yaml"))
        {
            var onS3 = await _storage.ReadAllBytesAsync(_bucket.Append($"forecast-runs/runs/{merged.RunId}/{file}"));
            onS3.Should().Equal(await File.ReadAllBytesAsync(Path.Combine(local.Output, "runs", single.RunId, file)), file);
        }
    }

    [Fact]
    public async Task A_run_request_in_the_bucket_runs_as_the_state_machine_runs_it_and_its_status_names_the_merged_run()
    {
        // The Dashboard's side: a request under the run output root (the deployment's S3 event rule fires on requests/).
        string output = _bucket.Append("forecast").ToString();
        var requests = new RunRequestStore(new S3ArtifactStore(_storage, S3Uri.Parse(output)));
        const string id = "20261206T200000Z-cafe0001";
        await requests.SubmitAsync(new RunRequest(id, new DateTime(2026, 12, 6, 20, 0, 0, DateTimeKind.Utc), TrainerRun.DefaultConfig,
            [$"data.path={_bucket.Append("input/rdatasets_monthly.csv")}", $"run.output={output}", "evaluation.horizon=6", "plots.enabled=false"],
            new Dictionary<string, string>(), "dashboard"));
        string location = requests.LocationOf(id);
        location.Should().Be($"{output}/requests/{id}.json", "the rule passes s3://<bucket>/<key> of the created object");

        // The state machine's side: every task runs the task definition's own command (which the request replaces),
        // with FORECAST_REQUEST from the execution's input, the shard and the batch (the execution's name).
        string[] taskDefinitionCommand = ["--config", "config/default-config.yaml", "--set", "run.output=s3://elsewhere/forecast"];
        const int shards = 2;
        Dictionary<string, string> TaskEnvironment(string? shard) => new(Environment())
        {
            ["FORECAST_REQUEST"] = location,
            ["FORECAST_BATCH"] = "execution-1",
            ["FORECAST_SHARD"] = shard ?? "",
        };
        foreach (var (code, log, err) in await Task.WhenAll(Enumerable.Range(0, shards).Select(i => TrainerProcess.RunAsync(TaskEnvironment($"{i}/{shards}"), taskDefinitionCommand))))
            code.Should().Be(ExitCodes.Ok, err + log);
        (await requests.GetStatusAsync(id))!.State.Should().Be(RunRequestState.Running, "a shard's end is not the request's end");
        var merge = await TrainerProcess.RunAsync(TaskEnvironment(null), ["merge", .. taskDefinitionCommand, "--shards", $"{shards}"]);

        merge.ExitCode.Should().Be(ExitCodes.Ok, merge.Err + merge.Out);
        var store = new S3ArtifactStore(_storage, S3Uri.Parse(output));
        var merged = (await RunCatalog.ListCommittedAsync(store)).Should().ContainSingle().Subject;
        (await requests.GetStatusAsync(id)).Should().BeEquivalentTo(new { State = RunRequestState.Succeeded, RunId = merged.RunId, ExitCode = 0 });
        (await new RunReader(store).ReadMetricsAsync(merged.RunId))!.Evaluation.Horizon.Should().Be(6, "the request's overrides applied, not the task definition's command");
    }
}
