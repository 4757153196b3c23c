using System.Text.Json.Serialization;
using Forecast.Core.Artifacts;
using Forecast.Evaluator.Services;
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

        builder.Services.AddSingleton<IArtifactStore>(sp =>
            new LocalFolderArtifactStore(Path.GetFullPath(sp.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value.Root,
                sp.GetRequiredService<IHostEnvironment>().ContentRootPath)));
        builder.Services.AddSingleton(sp => new RunReader(sp.GetRequiredService<IArtifactStore>()));
        builder.Services.AddSingleton<BacktestComparer>();

        // Metrics are NaN where undefined (MAPE of a zero actual); JSON has no NaN, so they travel as "NaN".
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
    }
}
