using Forecast.Core.Artifacts;
using Forecast.Core.Requests;
using Forecast.Core.Artifacts.Catalog;
using Forecast.Core.Storage;
using Forecast.Dashboard.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Forecast.Dashboard.Extensions;

/// <summary>The Dashboard's services (as eShop's WebApp Extensions.AddApplicationServices).</summary>
public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<TrainerOptions>().BindConfiguration(TrainerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // S3 (Storage:S3 options, credentials from the standard AWS chain) when the root is an s3:// URI.
        builder.Services.AddOptions<S3StorageOptions>().BindConfiguration(S3StorageOptions.SectionName)
            .Validate(o => { o.Validate(); return true; });
        builder.Services.AddSingleton(sp => new StorageLocations(sp.GetRequiredService<IOptions<S3StorageOptions>>().Value));
        builder.Services.AddSingleton(sp =>
        {
            string root = sp.GetRequiredService<IOptions<DashboardOptions>>().Value.ArtifactRoot;
            return sp.GetRequiredService<StorageLocations>().OpenArtifactStore(ContentPath(sp, root));
        });
        builder.Services.AddHealthChecks().AddCheck<ArtifactStoreHealthCheck>("artifact-store");
        // Lists and leaderboards read the runs kept in memory; storage is looked at once per RunCatalog:ChangeCheckInterval.
        builder.Services.AddOptions<RunCatalogOptions>().BindConfiguration(RunCatalogOptions.SectionName)
            .Validate(o => { o.Validate(); return true; });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new RunCatalogCache(sp.GetRequiredService<IArtifactStore>(), sp.GetRequiredService<IOptions<RunCatalogOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RunCatalogCache>>()));
        builder.Services.AddSingleton(sp => new RunReader(sp.GetRequiredService<RunCatalogCache>()));
        // The runs list and the leaderboard are rendered once per catalog version and URL (bounded, in memory).
        builder.Services.AddSingleton<RunCatalogPageCache>();
        builder.Services.AddSingleton<SeriesHistoryCache>();
        builder.Services.AddSingleton<ChartDataBuilder>();
        // Starting runs: run requests in the artifact root, run by a Trainer process or by the deployment.
        builder.Services.AddSingleton(sp => new RunRequestStore(sp.GetRequiredService<IArtifactStore>()));
        builder.Services.AddSingleton<TrainerCatalog>();
        builder.Services.AddSingleton<RunConfigs>();
        builder.Services.AddSingleton<TrainerProcesses>();
        builder.Services.AddSingleton<RunStarter>();
    }

    /// <summary>An absolute path (relative ones resolve against the content root); s3:// URIs stay as they are.</summary>
    public static string ContentPath(IServiceProvider services, string path) =>
        ContentPath(services.GetRequiredService<IHostEnvironment>().ContentRootPath, path);

    public static string ContentPath(string contentRoot, string path) =>
        S3Uri.IsS3(path) ? path : Path.GetFullPath(path, contentRoot);
}
