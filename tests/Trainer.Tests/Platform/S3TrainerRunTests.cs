using Forecast.Core.Artifacts;
using Forecast.Core.Storage;
using Forecast.Core.Tests.Storage;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Features;
using Forecast.Trainer.Platform;

namespace Forecast.Trainer.Tests.Platform;

/// <summary>The Trainer with its config, data and run output on a real S3 (s3rver), compared byte for byte.</summary>
public sealed class S3TrainerRunTests : IAsyncLifetime
{
    private S3rverProcess _server = null!;
    private S3ObjectStorage _storage = null!;
    private TrainerPlatform _platform = null!;
    private S3Uri _bucket;

    public async Task InitializeAsync()
    {
        _server = await S3rverProcess.StartAsync();
        _storage = _server.CreateStorage();
        _platform = new TrainerPlatform(new StorageLocations(() => _server.CreateStorage()), TrainerFeatures.None);
        _bucket = await _server.NewBucketAsync();
        await _storage.UploadAsync(_bucket.Append("config/default-config.yaml"), await File.ReadAllBytesAsync(TrainerRun.DefaultConfig));
        await _storage.UploadAsync(_bucket.Append("input/rdatasets_monthly.csv"), await File.ReadAllBytesAsync(TrainerRun.SampleData));
    }

    public async Task DisposeAsync()
    {
        _platform.Locations.Dispose();
        _storage.Dispose();
        await _server.DisposeAsync();
    }

    private Task<int> RunAsync(StringWriter output, StringWriter errors, params string[] args) =>
        TrainerCli.RunAsync(args, output, errors, interactive: false, platform: _platform);

    [Fact]
    public async Task Config_data_and_run_on_s3_give_the_same_forecasts_as_a_local_run_byte_for_byte()
    {
        using var local = new TrainerRun();
        (await local.RunDefaultAsync()).ExitCode.Should().Be(ExitCodes.Ok);
        var localRun = (await local.CommittedRunsAsync()).Single();
        var output = new StringWriter();
        var errors = new StringWriter();

        int code = await RunAsync(output, errors, "--config", _bucket.Append("config/default-config.yaml").ToString(),
            "--set", $"data.path={_bucket.Append("input/rdatasets_monthly.csv")}", "--set", $"run.output={_bucket.Append("forecast-runs")}");

        code.Should().Be(ExitCodes.Ok, errors.ToString());
        var store = new S3ArtifactStore(_storage, _bucket.Append("forecast-runs"));
        var manifest = (await RunCatalog.ListCommittedAsync(store)).Should().ContainSingle().Subject;
        output.ToString().Should().Contain($"s3://{_bucket.Bucket}/forecast-runs/runs/{manifest.RunId}/");
        (await RunCatalog.VerifyAsync(store, manifest)).Should().BeEmpty();
        manifest.Files.Select(f => f.Path).Should().BeEquivalentTo(localRun.Files.Select(f => f.Path));
        // Everything but the files that name their own location (config, data path) is the same bytes as locally.
        foreach (string file in new[] { "forecasts.csv", "forecasts.parquet", "metrics.yaml", "evaluation/forecasts.csv", "cleaning.yaml", "plots/AirPassengers.png" })
        {
            var onS3 = await _storage.ReadAllBytesAsync(_bucket.Append($"forecast-runs/runs/{manifest.RunId}/{file}"));
            onS3.Should().Equal(await File.ReadAllBytesAsync(Path.Combine(local.Output, "runs", localRun.RunId, file)), file);
        }
    }

    [Fact]
    public async Task A_missing_input_object_is_a_data_error_naming_the_uri_and_commits_nothing()
    {
        var errors = new StringWriter();
        string missing = _bucket.Append("input/nope.csv").ToString();

        int code = await RunAsync(new StringWriter(), errors, "--config", TrainerRun.DefaultConfig,
            "--set", $"data.path={missing}", "--set", $"run.output={_bucket.Append("out")}");

        code.Should().Be(ExitCodes.DataError);
        errors.ToString().Should().Contain(missing).And.Contain("no such object").And.Contain("data.path");
        (await RunCatalog.ListCommittedAsync(new S3ArtifactStore(_storage, _bucket.Append("out")))).Should().BeEmpty();
    }

    [Fact]
    public async Task A_missing_config_object_is_a_config_error_naming_the_uri()
    {
        var errors = new StringWriter();
        string missing = _bucket.Append("config/missing.yaml").ToString();

        int code = await RunAsync(new StringWriter(), errors, "--config", missing);

        code.Should().Be(ExitCodes.ConfigError);
        errors.ToString().Should().Contain(missing).And.Contain("--config");
    }

    [Fact]
    public async Task An_output_in_a_bucket_that_does_not_exist_is_a_config_error_naming_the_uri()
    {
        var errors = new StringWriter();

        int code = await RunAsync(new StringWriter(), errors, "--config", TrainerRun.DefaultConfig,
            "--set", $"data.path={TrainerRun.SampleData}", "--set", "run.output=s3://no-such-output-bucket/runs");

        code.Should().Be(ExitCodes.ConfigError);
        errors.ToString().Should().Contain("s3://no-such-output-bucket/runs/").And.Contain("does not exist").And.Contain("run.output");
    }

    [Fact]
    public async Task An_s3_endpoint_that_is_down_is_reported_with_the_uri_and_endpoint_and_commits_nothing()
    {
        int port = S3rverProcess.FreePort();
        var options = new S3StorageOptions
        {
            ServiceUrl = $"http://127.0.0.1:{port}",
            EmulatorMode = true,
            MaxAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        };
        var down = new TrainerPlatform(new StorageLocations(() => S3ObjectStorage.Create(options, S3rverProcess.Credentials)), TrainerFeatures.None);
        var errors = new StringWriter();

        int code = await TrainerCli.RunAsync(["--config", TrainerRun.DefaultConfig, "--set", $"data.path={TrainerRun.SampleData}",
            "--set", "run.output=s3://forecast/runs-while-down"], new StringWriter(), errors, interactive: false, platform: down);

        code.Should().Be(ExitCodes.ConfigError, "the run output cannot be written, which is checked before any work");
        errors.ToString().Should().Contain("s3://forecast/runs-while-down/").And.Contain($"127.0.0.1:{port} did not answer");
        down.Locations.Dispose();
    }
}
