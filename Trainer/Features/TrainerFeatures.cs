using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace Forecast.Trainer.Features;

/// <summary>
/// The Trainer's feature flags (Microsoft.FeatureManagement), read from configuration: appsettings.json, environment
/// variables (FeatureManagement__Plots=false, feature_management__feature_flags__0__id=Model, ...) and so the AppHost.
/// A flag that is not defined anywhere returns null here, so the YAML config keeps the say (see
/// <see cref="FeatureOverrides"/> and docs/platform.md for the precedence).
/// </summary>
/// <param name="configuration">Where the flags are read from, to say which source defined each (flags.yaml); optional.</param>
public sealed class TrainerFeatures(IVariantFeatureManager? manager, IFeatureDefinitionProvider definitions, IConfiguration? configuration = null)
{
    /// <summary>Variant flag: which model forecasts a series, allocated by percentile of its unique_id.</summary>
    public const string Model = "Model";

    /// <summary>On/off: fine-tune pretrained models (Chronos) before forecasting.</summary>
    public const string FineTuning = "FineTuning";

    /// <summary>On/off: forecast plots (YAML plots.enabled).</summary>
    public const string Plots = "Plots";

    /// <summary>On/off: exploratory analysis (YAML eda.enabled).</summary>
    public const string Eda = "Eda";

    /// <summary>Every flag the Trainer knows, in the order flags.yaml lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Eda, Plots, FineTuning, Model];

    /// <summary>No flags at all: the YAML config alone decides (library use, tests of the pipeline).</summary>
    public static TrainerFeatures None { get; } = new(null, new NoFeatureDefinitions());

    /// <summary>The flags of <paramref name="configuration"/> through Microsoft.FeatureManagement, as the host registers them.</summary>
    public static TrainerFeatures From(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        services.AddFeatureManagement();
        services.AddSingleton<TrainerFeatures>();
        return services.BuildServiceProvider().GetRequiredService<TrainerFeatures>();
    }

    /// <summary>The configuration the flags come from (null for <see cref="None"/>).</summary>
    public IConfiguration? Configuration => configuration;

    /// <summary>Which configuration source defines <paramref name="feature"/> (the one that wins), or null.</summary>
    public string? SourceOf(string feature) => configuration is null ? null : FlagSources.Find(configuration, feature);

    /// <summary>The definition of the Model flag (variants, allocation), or null when no source defines it.</summary>
    public Task<FeatureDefinition?> GetModelDefinitionAsync() => definitions.GetFeatureDefinitionAsync(Model);

    /// <summary>The flag's state, or null when no configuration source defines it.</summary>
    public async Task<bool?> GetSwitchAsync(string feature, CancellationToken cancellationToken = default) =>
        manager is null || await definitions.GetFeatureDefinitionAsync(feature).ConfigureAwait(false) is null
            ? null
            : await manager.IsEnabledAsync(feature, cancellationToken).ConfigureAwait(false);

    /// <summary>The names of the model flag's variants (each a model.name), or null when the flag is not defined.</summary>
    public async Task<IReadOnlyList<string>?> GetModelVariantsAsync()
    {
        var definition = await definitions.GetFeatureDefinitionAsync(Model).ConfigureAwait(false);
        return definition is null ? null : [.. definition.Variants.Select(ModelNameOf)];
    }

    /// <summary>
    /// The model for series <paramref name="uniqueId"/>: the flag's variant for it as the targeting user, so the
    /// percentile allocation hashes the unique_id (stable across runs for the same seed), or null for "no variant".
    /// </summary>
    public async Task<string?> ChooseModelAsync(string uniqueId, CancellationToken cancellationToken = default)
    {
        if (manager is null) return null;
        var variant = await manager.GetVariantAsync(Model, new TargetingContext { UserId = uniqueId }, cancellationToken).ConfigureAwait(false);
        return variant is null ? null : variant.Configuration?.Value ?? variant.Name;
    }

    /// <summary>A variant names its model by configuration_value when given, else by its own name.</summary>
    private static string ModelNameOf(VariantDefinition variant) => variant.ConfigurationValue?.Value ?? variant.Name;

    private sealed class NoFeatureDefinitions : IFeatureDefinitionProvider
    {
        public Task<FeatureDefinition?> GetFeatureDefinitionAsync(string featureName) => Task.FromResult<FeatureDefinition?>(null);

        public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
        {
            await Task.CompletedTask;
            yield break;
        }
    }
}
