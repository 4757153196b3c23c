using Forecast.Core.Storage;
using Forecast.Core.Tests.Storage;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Features;
using Forecast.Trainer.Platform;

namespace Forecast.Trainer.Tests.Models;

/// <summary><c>model.chronos.checkpoint: s3://…</c> read through the platform's storage, on a real S3 (s3rver).</summary>
public sealed class ChronosS3CheckpointTests : IAsyncLifetime
{
    private S3rverProcess _server = null!;
    private S3ObjectStorage _storage = null!;
    private TrainerPlatform _platform = null!;
    private S3Uri _bucket;

    private static string LocalCheckpoint => TrainerRun.FixturePath(Path.Combine("models", "dummy-chronos-bolt-model"));

    public async Task InitializeAsync()
    {
        _server = await S3rverProcess.StartAsync();
        _storage = _server.CreateStorage();
        _platform = new TrainerPlatform(new StorageLocations(() => _server.CreateStorage()), TrainerFeatures.None);
        _bucket = await _server.NewBucketAsync();
        foreach (string file in Directory.GetFiles(LocalCheckpoint))
            await _storage.UploadAsync(_bucket.Append($"models/bolt/{Path.GetFileName(file)}"), await File.ReadAllBytesAsync(file));
    }

    public async Task DisposeAsync()
    {
        _platform.Locations.Dispose();
        _storage.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(int Code, string Output, string Errors)> RunAsync(TrainerRun run, string checkpoint)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = await TrainerCli.RunAsync(
            ["--config", TrainerRun.FixturePath(Path.Combine("config", "chronos-bolt.yaml")), "--set", $"data.path={TrainerRun.SampleData}",
             "--set", $"run.output={run.Output}", "--set", $"model.chronos.checkpoint={checkpoint}", "--set", "plots.enabled=false", "--set", "eda.enabled=false"],
            output, errors, interactive: false, platform: _platform);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task An_s3_checkpoint_gives_the_same_forecasts_as_the_local_folder()
    {
        using var local = new TrainerRun();
        using var remote = new TrainerRun();
        var fromFolder = await RunAsync(local, LocalCheckpoint);
        var fromS3 = await RunAsync(remote, _bucket.Append("models/bolt/").ToString());

        fromFolder.Code.Should().Be(ExitCodes.Ok, fromFolder.Errors);
        fromS3.Code.Should().Be(ExitCodes.Ok, fromS3.Errors + fromS3.Output);
        var a = (await local.CommittedRunsAsync()).Single();
        var b = (await remote.CommittedRunsAsync()).Single();
        (await File.ReadAllBytesAsync(Path.Combine(remote.Output, "runs", b.RunId, "forecasts.csv")))
            .Should().Equal(await File.ReadAllBytesAsync(Path.Combine(local.Output, "runs", a.RunId, "forecasts.csv")));
    }

    [Fact]
    public async Task An_empty_s3_prefix_fails_naming_the_uri()
    {
        using var run = new TrainerRun();
        string missing = _bucket.Append("models/none/").ToString();
        var (code, _, errors) = await RunAsync(run, missing);

        code.Should().NotBe(ExitCodes.Ok);
        errors.Should().Contain("models/none");
        run.FilesUnderRuns().Should().BeEmpty();
    }
}
