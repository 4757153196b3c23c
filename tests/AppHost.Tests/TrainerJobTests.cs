using Forecast.Core.Artifacts;
using Forecast.Core.Storage;
using Polly;
using Polly.Retry;

namespace Forecast.AppHost.Tests;

/// <summary>`dotnet run --project AppHost` as a test: the Trainer job runs against s3rver and its telemetry reaches the dashboard.</summary>
[Collection(ForecastStackCollection.Name)]
public sealed class TrainerJobTests(ForecastStackFixture stack)
{
    private static string Repository([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    [Fact]
    public async Task The_trainer_runs_to_completion_and_commits_its_run_to_the_bucket_byte_for_byte()
    {
        stack.TrainerEnd.Snapshot.State?.Text.Should().Be(KnownResourceStates.Finished);
        stack.TrainerEnd.Snapshot.ExitCode.Should().Be(0);
        using var storage = stack.CreateStorage();
        var store = new S3ArtifactStore(storage, S3Uri.Parse("s3://forecast"));

        var manifest = (await RunCatalog.ListCommittedAsync(store)).Where(m => ForecastStackFixture.IsLaunchRun(m.RunId)).Should().ContainSingle().Subject;

        (await RunCatalog.VerifyAsync(store, manifest)).Should().BeEmpty("every object matches the size and SHA-256 in manifest.json");
        manifest.Files.Select(f => f.Path).Should().Contain(["config.yaml", "metrics.yaml", "forecasts.csv", "forecasts.parquet", "plots/AirPassengers.png"]);
        string forecasts = System.Text.Encoding.UTF8.GetString(await storage.ReadAllBytesAsync(S3Uri.Parse($"s3://forecast/runs/{manifest.RunId}/forecasts.csv")));
        forecasts.Split('\n')[1].Should().StartWith("AirPassengers,1961-01-01,417,");
        // The AppHost seeded the shipped config and data into the bucket unchanged.
        (await storage.ReadAllBytesAsync(S3Uri.Parse("s3://forecast/data/rdatasets_monthly.csv")))
            .Should().Equal(await File.ReadAllBytesAsync(Path.Combine(Repository(), "sample-data", "rdatasets_monthly.csv")));
        (await storage.ReadAllBytesAsync(S3Uri.Parse("s3://forecast/config/default-config.yaml")))
            .Should().Equal(await File.ReadAllBytesAsync(Path.Combine(Repository(), "config", "default-config.yaml")));
    }

    [Fact]
    public async Task The_trainer_spans_reach_the_aspire_dashboard()
    {
        using var telemetry = new TelemetryApi(stack.DashboardUrl, stack.DashboardApiKey);
        // Spans are exported in batches, so poll the dashboard's telemetry API for a while (Polly: fixed delay, bounded).
        var poll = new ResiliencePipelineBuilder<HashSet<string>>()
            .AddRetry(new RetryStrategyOptions<HashSet<string>>
            {
                MaxRetryAttempts = 30,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = new PredicateBuilder<HashSet<string>>().Handle<HttpRequestException>().HandleResult(names => !names.Contains("upload")),
            })
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var names = await poll.ExecuteAsync(async ct =>
            (await telemetry.SpansAsync("trainer", ct)).SelectMany(i => TelemetryApi.Spans(i.Spans, "Forecast.Trainer")).Select(s => s.GetProperty("name").GetString()!).ToHashSet(),
            timeout.Token);

        names.Should().Contain(["trainer", "run", "load", "clean", "evaluate", "fit", "forecast", "upload"], await telemetry.DescribeAsync());
    }
}
