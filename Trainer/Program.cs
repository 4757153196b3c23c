using Forecast.Trainer.Cli;
using Forecast.Trainer.Platform;
using Microsoft.Extensions.DependencyInjection;

// dotnet run --project Trainer -- --config config/default-config.yaml   (see --help for options and exit codes)
// The host brings the service defaults (OpenTelemetry to OTEL_EXPORTER_OTLP_ENDPOINT), Storage:S3 and feature flags.
using var host = TrainerHostExtensions.CreateBuilder().Build();
await host.StartAsync();
int exitCode = await TrainerCli.RunAsync(args, Console.Out, Console.Error, platform: host.Services.GetRequiredService<TrainerPlatform>());
// Stopping flushes the telemetry exporters, so a short job's spans still reach the collector.
await host.StopAsync();
return exitCode;
