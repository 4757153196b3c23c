using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;
using Forecast.Trainer.Telemetry;

namespace Forecast.Trainer.Features;

/// <summary>
/// Applies the feature flags to a loaded YAML config. Precedence, lowest first: the YAML file, then --set overrides,
/// then a flag that is DEFINED in configuration (appsettings.json &lt; environment variables, which is how the
/// AppHost sets them). An undefined flag changes nothing. Flags are the operator's switch: they can turn plots or EDA
/// off for a fleet, or move a share of series to a challenger model, without editing anyone's YAML.
/// </summary>
public static class FeatureOverrides
{
    /// <param name="withModel">The same config with model.name set to another model (its YAML section, if any, applies).</param>
    public static async Task<TrainerConfig> ApplyAsync(TrainerConfig config, TrainerFeatures features, Func<string, TrainerConfig> withModel,
        IRunLog log, CancellationToken cancellationToken = default)
    {
        if (await features.GetSwitchAsync(TrainerFeatures.Eda, cancellationToken).ConfigureAwait(false) is { } eda && eda != config.Eda.Enabled)
        {
            log.Info($"Feature flag {TrainerFeatures.Eda} = {eda} overrides eda.enabled = {config.Eda.Enabled}");
            config = config with { Eda = config.Eda with { Enabled = eda } };
        }
        if (await features.GetSwitchAsync(TrainerFeatures.Plots, cancellationToken).ConfigureAwait(false) is { } plots && plots != config.Plots.Enabled)
        {
            log.Info($"Feature flag {TrainerFeatures.Plots} = {plots} overrides plots.enabled = {config.Plots.Enabled}");
            config = config with { Plots = config.Plots with { Enabled = plots } };
        }
        bool? fineTuningFlag = await features.GetSwitchAsync(TrainerFeatures.FineTuning, cancellationToken).ConfigureAwait(false);
        if (fineTuningFlag is { } fineTuning)
        {
            log.Info($"Feature flag {TrainerFeatures.FineTuning} = {fineTuning} (applies to models that can fine-tune)");
            var create = config.Model.Create;
            config = config with { Model = config.Model with { Create = context => create(context with { FineTuning = fineTuning }) } };
        }

        var variants = await features.GetModelVariantsAsync().ConfigureAwait(false);
        if (variants is null || variants.Count == 0) return config;

        // Build every variant's model selection now, so an unknown model name fails before any work, as a config error.
        var selections = new Dictionary<string, ModelSelection>(StringComparer.Ordinal) { [config.Model.Name] = config.Model };
        foreach (string variant in variants.Distinct(StringComparer.Ordinal))
        {
            if (selections.ContainsKey(variant)) continue;
            try
            {
                selections[variant] = withModel(variant).Model;
            }
            catch (ConfigException e)
            {
                throw new ConfigException($"feature flag {TrainerFeatures.Model}", "variants",
                    $"variant model '{variant}' is not usable: {e.Message}");
            }
        }
        string name = string.Join("|", selections.Keys.Order(StringComparer.Ordinal));
        log.Info($"Feature flag {TrainerFeatures.Model} routes series by unique_id percentile to {string.Join(", ", variants)} (default {config.Model.Name})");
        return config with
        {
            Model = new ModelSelection(name, context =>
                new ModelRouter(name, features, config.Model.Name, model => TrainerTelemetry.Instrument(selections[model].Create(context with { FineTuning = fineTuningFlag ?? context.FineTuning }))))
            {
                Identity = Core.Models.ModelIdentity.Routed(selections.Values.Select(s => s.Identity)),
            },
        };
    }
}
