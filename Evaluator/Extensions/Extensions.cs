using System.Text.Json.Serialization;
using Forecast.Core.Artifacts;
using Forecast.Core.Artifacts.Catalog;
using Forecast.Core.Storage;
using Forecast.Evaluator.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Forecast.Evaluator.Extensions;

/// <summary>The Evaluator's services (as eShop's Catalog.API Extensions.AddApplicationServices).</summary>
public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArtifactStoreOptions>()
            .BindConfiguration(ArtifactStoreOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // S3 (Storage:S3 options, credentials from the standard AWS chain) when the root is an s3:// URI.
        builder.Services.AddOptions<S3StorageOptions>().BindConfiguration(S3StorageOptions.SectionName)
            .Validate(o => { o.Validate(); return true; });
        builder.Services.AddSingleton(sp => new StorageLocations(sp.GetRequiredService<IOptions<S3StorageOptions>>().Value));
        builder.Services.AddSingleton(sp => OpenArtifactStore(sp, sp.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value.Root));
        builder.Services.AddHealthChecks().AddCheck<ArtifactStoreHealthCheck>("artifact-store");
        // Lists and leaderboards read the runs kept in memory; storage is looked at once per RunCatalog:ChangeCheckInterval.
        builder.Services.AddOptions<RunCatalogOptions>().BindConfiguration(RunCatalogOptions.SectionName)
            .Validate(o => { o.Validate(); return true; });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new RunCatalogCache(sp.GetRequiredService<IArtifactStore>(), sp.GetRequiredService<IOptions<RunCatalogOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RunCatalogCache>>()));
        builder.Services.AddSingleton(sp => new RunReader(sp.GetRequiredService<RunCatalogCache>()));
        builder.Services.AddSingleton<BacktestComparer>();

        // Metrics are NaN where undefined (MAPE of a zero actual); JSON has no NaN, so they travel as "NaN".
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
    }

    /// <summary>An s3:// root opens the bucket; a local root resolves against the content root.</summary>
    public static IArtifactStore OpenArtifactStore(IServiceProvider services, string root) =>
        S3Uri.IsS3(root)
            ? services.GetRequiredService<StorageLocations>().OpenArtifactStore(root)
            : new LocalFolderArtifactStore(Path.GetFullPath(root, services.GetRequiredService<IHostEnvironment>().ContentRootPath));
}
