using Forecast.AppHost;
using Forecast.AppHost.Storage;
using Microsoft.Extensions.Configuration;

// The local Forecast stack: S3 emulator -> bucket (created and seeded) -> Trainer, Evaluator and Dashboard, with the Aspire dashboard.
//   dotnet run --project AppHost                               (Storage:Mode=auto: LocalStack if Docker answers, else s3rver)
//   dotnet run --project AppHost -- Storage:Mode=s3rver Trainer:StartOnLaunch=false Dashboard:Port=5190
// Ports are free ones unless configured (LocalPorts; Evaluator:Port, Dashboard:Port), so two stacks can share a machine.
// A failure to start is one line on stderr and exit code 1 (StartupFailure), never a stack trace.
try
{
    var builder = DistributedApplication.CreateBuilder(LocalPorts.WithFreePorts(args));

    var (storageMode, why) = StorageModeSelector.Choose(builder.Configuration[StorageModeSelector.ConfigurationKey],
        builder.ExecutionContext.IsPublishMode, () => DockerEngine.Answers());
    Console.WriteLine($"Storage: {storageMode} ({why})");

    string bucket = builder.Configuration["Storage:Bucket"] ?? "forecast";
    string repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

    var s3 = builder.AddS3Emulator("s3", storageMode);

    // The shipped configs (the Dashboard's start form lists s3://<bucket>/config/) and the sample data, seeded once.
    var seeds = Directory.EnumerateFiles(Path.Combine(repository, "config"), "*.yaml").Order(StringComparer.Ordinal)
        .ToDictionary(file => $"config/{Path.GetFileName(file)}", file => file);
    seeds["data/rdatasets_monthly.csv"] = Path.Combine(repository, "sample-data", "rdatasets_monthly.csv");
    var forecastBucket = builder.AddS3Bucket("bucket", s3, bucket, seeds);

    var trainer = builder.AddProject<Projects.Trainer>("trainer")
        .WithArgs(
            "--config", $"s3://{bucket}/config/default-config.yaml",
            "--set", $"data.path=s3://{bucket}/data/rdatasets_monthly.csv",
            "--set", $"run.output=s3://{bucket}")
        .WithS3(s3)
        .WithFeatureFlags(builder.Configuration.GetSection("Trainer"))
        .WaitFor(forecastBucket);

    if (!builder.Configuration.GetValue("Trainer:StartOnLaunch", true))
        trainer.WithExplicitStart(); // the dashboard's Start button runs it

    // Evaluator and Dashboard read the runs the Trainer commits to the bucket. The Dashboard starts further runs as run
    // requests in the bucket, run by a Trainer process it starts from the repository root (its default
    // Trainer:WorkingDirectory ".."); deployed, the bucket's event rule starts the state machine on them instead.
    var evaluator = builder.AddWebService<Projects.Evaluator>("evaluator")
        .WithEnvironment("ArtifactStore__Root", $"s3://{bucket}")
        .WithS3(s3)
        .WithHttpHealthCheck("/health")
        .WaitFor(forecastBucket);
    evaluator.WithUrlForEndpoint("http", url => url.DisplayText = "Evaluator API")
        .WithUrl($"{evaluator.GetEndpoint("http")}/openapi/v1.json", "OpenAPI document");

    builder.AddWebService<Projects.Dashboard>("dashboard")
        .WithEnvironment("Dashboard__ArtifactRoot", $"s3://{bucket}")
        .WithEnvironment("Trainer__ConfigFolder", $"s3://{bucket}/config")
        .WithTrainerProcess<Projects.Trainer>(repository, builder.Configuration.GetSection("Trainer"))
        .WithS3(s3)
        .WithReference(evaluator)
        .WithHttpHealthCheck("/health")
        .WithUrlForEndpoint("http", url => url.DisplayText = "Forecast dashboard")
        .WaitFor(forecastBucket);

    await builder.Build().RunAsync();
    return 0;
}
catch (Exception e) when (StartupFailure.IsFailure(e))
{
    Console.Error.WriteLine(StartupFailure.Describe(e));
    return 1;
}
