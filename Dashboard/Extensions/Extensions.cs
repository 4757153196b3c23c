using Forecast.Core.Artifacts;
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

        builder.Services.AddSingleton<IArtifactStore>(sp => new LocalFolderArtifactStore(
            ContentPath(sp, sp.GetRequiredService<IOptions<DashboardOptions>>().Value.ArtifactRoot)));
        builder.Services.AddSingleton(sp => new RunReader(sp.GetRequiredService<IArtifactStore>()));
        builder.Services.AddSingleton<SeriesHistoryCache>();
        builder.Services.AddSingleton<ChartDataBuilder>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TrainerLauncher>();
    }

    /// <summary>An absolute path: relative ones resolve against the content root.</summary>
    public static string ContentPath(IServiceProvider services, string path) =>
        Path.GetFullPath(path, services.GetRequiredService<IHostEnvironment>().ContentRootPath);
}
