using Forecast.Core.Storage;
using Forecast.Trainer.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;

namespace Forecast.Trainer.Platform;

/// <summary>The Trainer's services (as eShop's Extensions/Extensions.cs per service): storage options, flags, platform.</summary>
public static class TrainerHostExtensions
{
    public static IHostApplicationBuilder AddTrainerPlatform(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<S3StorageOptions>().BindConfiguration(S3StorageOptions.SectionName)
            .Validate(o => { o.Validate(); return true; });
        builder.Services.AddFeatureManagement();
        builder.Services.AddSingleton<TrainerFeatures>();
        builder.Services.AddSingleton(sp => new StorageLocations(sp.GetRequiredService<IOptions<S3StorageOptions>>().Value));
        builder.Services.AddSingleton(sp => new TrainerPlatform(
            sp.GetRequiredService<StorageLocations>(),
            sp.GetRequiredService<TrainerFeatures>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Forecast.Trainer")));
        return builder;
    }

    /// <summary>The host of one Trainer run: service defaults (OpenTelemetry over OTLP), configuration and flags.</summary>
    public static HostApplicationBuilder CreateBuilder(string[]? configurationArgs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // The CLI parses its own arguments; the host only reads appsettings.json beside the binary and the environment.
            Args = configurationArgs ?? [],
            ApplicationName = "Forecast.Trainer",
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The CLI writes its own timestamped lines; the host's console logger would repeat them.
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.AddTrainerPlatform();
        return builder;
    }
}
