using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Forecast.Core.Storage;

namespace Forecast.AppHost.Tests;

/// <summary>
/// The whole AppHost, once for all AppHost tests: s3rver (Storage:Mode=s3rver, no Docker), the bucket, the Trainer run
/// to completion, and the Aspire dashboard (enabled, unlike the testing default) with its telemetry API behind a key.
/// The Eda flag is off in the AppHost (Trainer:FeatureManagement:Eda=false), so runs show a flag that changed something.
/// Every wait has a cancellation token: StartAsync never returns when a dependency dies, and the suite must end.
/// </summary>
public sealed class ForecastStackFixture : IAsyncLifetime
{
    /// <summary>The budget for building, starting and the Trainer's run; CI has 2 cores shared with the build.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("forecast-apphost-s3rver-").FullName;

    public DistributedApplication App { get; private set; } = null!;

    public string DashboardUrl { get; private set; } = "";

    public string DashboardApiKey { get; } = Guid.NewGuid().ToString("N");

    public ResourceEvent TrainerEnd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        string[] args =
        [
            "Storage:Mode=s3rver",
            $"Storage:S3rver:DataDirectory={_dataDirectory}",
            "Trainer:StartOnLaunch=true",
            "Trainer:FeatureManagement:Eda=false",
            $"AppHost:DashboardApiKey={DashboardApiKey}",
            $"ASPNETCORE_URLS=http://127.0.0.1:{FreePort()}",
            $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
            $"ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args, (options, _) =>
        {
            options.DisableDashboard = false;
            options.AllowUnsecuredTransport = true;
        }, timeout.Token);
        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        // The testing builder moves ports around (launch profile, randomisation): ask the dashboard resource where it is.
        // Its "http" URL is the frontend (with the login token); "otlp-grpc" is the HTTP/2-only OTLP receiver.
        var dashboard = await notifications.WaitForResourceAsync("aspire-dashboard", e => e.Snapshot.Urls.Any(u => u.Name == "http"), timeout.Token);
        DashboardUrl = new Uri(dashboard.Snapshot.Urls.First(u => u.Name == "http").Url).GetLeftPart(UriPartial.Authority);
        TrainerEnd = await notifications.WaitForResourceAsync("trainer", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
    }

    /// <summary>The run the Trainer resource committed at launch (the default config; other tests may start more runs).</summary>
    public static bool IsLaunchRun(string runId) => runId.Contains("-default-", StringComparison.Ordinal);

    /// <summary>Our S3 client on the stack's s3rver, with the emulator's credentials.</summary>
    public S3ObjectStorage CreateStorage() => S3ObjectStorage.Create(
        new S3StorageOptions { ServiceUrl = App.GetEndpoint("s3", "http").ToString().TrimEnd('/'), EmulatorMode = true },
        new BasicAWSCredentials("S3RVER", "S3RVER"));

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await App.StopAsync(timeout.Token);
            await App.DisposeAsync();
        }
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ForecastStackCollection : ICollectionFixture<ForecastStackFixture>
{
    public const string Name = "forecast stack";
}
