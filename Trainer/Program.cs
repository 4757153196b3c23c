using Forecast.Trainer.Cli;
using Forecast.Trainer.Platform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// dotnet run --project Trainer -- --config config/default-config.yaml   (see --help for options and exit codes)
// The host brings the service defaults (OpenTelemetry to OTEL_EXPORTER_OTLP_ENDPOINT), Storage:S3 and feature flags.
using var host = TrainerHostExtensions.CreateBuilder().Build();
await host.StartAsync();
// The host's console lifetime takes SIGINT/SIGTERM (Ctrl+C, ECS stopping the task) and signals ApplicationStopping:
// that token cancels the run, which then deletes what it wrote and exits with 1.
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
int exitCode = await TrainerCli.RunAsync(args, Console.Out, Console.Error, cancellationToken: stopping, platform: host.Services.GetRequiredService<TrainerPlatform>());
// Stopping flushes the telemetry exporters, so a short job's spans still reach the collector.
await host.StopAsync();
return exitCode;
