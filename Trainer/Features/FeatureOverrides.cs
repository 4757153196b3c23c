using System.Globalization;
using Forecast.Core.Models;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Pipeline;
using Forecast.Trainer.Telemetry;

namespace Forecast.Trainer.Features;

/// <summary>
/// Applies the feature flags to a loaded YAML config. Precedence, lowest first: the YAML file, then --set overrides,
/// then a flag that is DEFINED in configuration (appsettings.json &lt; environment variables, which is how the
/// AppHost sets them &lt; a run request's flags). An undefined flag changes nothing. Flags are the operator's switch:
/// they can turn plots or EDA off for a fleet, or move a share of series to a challenger model, without editing
/// anyone's YAML. What each flag changed goes into the effective config (<see cref="TrainerConfig.Resolved"/>, the
/// run's config.yaml) and into <see cref="TrainerConfig.Flags"/> (the run's flags.yaml).
/// </summary>
public static class FeatureOverrides
{
    /// <param name="withModel">The same config with model.name set to another model (its YAML section, if any, applies).</param>
    public static async Task<TrainerConfig> ApplyAsync(TrainerConfig config, TrainerFeatures features, Func<string, TrainerConfig> withModel,
        IRunLog log, CancellationToken cancellationToken = default)
    {
        var applied = new List<AppliedFlag>();

        bool? eda = await features.GetSwitchAsync(TrainerFeatures.Eda, cancellationToken).ConfigureAwait(false);
        var edaChanges = new List<string>();
        if (eda is { } edaOn && edaOn != config.Eda.Enabled)
        {
            log.Info($"Feature flag {TrainerFeatures.Eda} = {edaOn} overrides eda.enabled = {config.Eda.Enabled}");
            edaChanges.Add(Change("eda.enabled", config.Eda.Enabled, edaOn));
            config = config with { Eda = config.Eda with { Enabled = edaOn }, Resolved = ResolvedConfig.With(config.Resolved, "eda.enabled", edaOn) };
        }
        applied.Add(Flag(features, TrainerFeatures.Eda, eda, edaChanges));

        bool? plots = await features.GetSwitchAsync(TrainerFeatures.Plots, cancellationToken).ConfigureAwait(false);
        var plotChanges = new List<string>();
        if (plots is { } plotsOn && plotsOn != config.Plots.Enabled)
        {
            log.Info($"Feature flag {TrainerFeatures.Plots} = {plotsOn} overrides plots.enabled = {config.Plots.Enabled}");
            plotChanges.Add(Change("plots.enabled", config.Plots.Enabled, plotsOn));
            config = config with { Plots = config.Plots with { Enabled = plotsOn }, Resolved = ResolvedConfig.With(config.Resolved, "plots.enabled", plotsOn) };
        }
        applied.Add(Flag(features, TrainerFeatures.Plots, plots, plotChanges));

        bool? fineTuningFlag = await features.GetSwitchAsync(TrainerFeatures.FineTuning, cancellationToken).ConfigureAwait(false);
        var fineTuningChanges = new List<string>();
        if (fineTuningFlag is { } fineTuning)
        {
            log.Info($"Feature flag {TrainerFeatures.FineTuning} = {fineTuning} (applies to models that can fine-tune)");
            var create = config.Model.Create;
            config = config with { Model = config.Model with { Create = context => create(context with { FineTuning = fineTuning }) } };
            // Models that fine-tune have a fine_tune.enabled key in their section (Chronos); the flag replaces it.
            string key = $"model.{config.Model.Name}.fine_tune.enabled";
            if (ResolvedConfig.Get(config.Resolved, key) is bool configured && configured != fineTuning)
            {
                fineTuningChanges.Add(Change(key, configured, fineTuning));
                config = config with { Resolved = ResolvedConfig.With(config.Resolved, key, fineTuning) };
            }
        }
        applied.Add(Flag(features, TrainerFeatures.FineTuning, fineTuningFlag, fineTuningChanges));

        var variants = await features.GetModelVariantsAsync().ConfigureAwait(false);
        if (variants is null || variants.Count == 0)
        {
            applied.Add(new AppliedFlag(TrainerFeatures.Model, variants is not null, variants is null ? null : "no variants", features.SourceOf(TrainerFeatures.Model), []));
            return config with { Flags = applied };
        }

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
        var identity = ModelIdentity.Routed(selections.Values.Select(s => s.Identity));
        log.Info($"Feature flag {TrainerFeatures.Model} routes series by unique_id percentile to {string.Join(", ", variants)} (default {config.Model.Name})");
        applied.Add(new AppliedFlag(TrainerFeatures.Model, true, await DescribeAllocationAsync(features, variants).ConfigureAwait(false), features.SourceOf(TrainerFeatures.Model),
            [$"model.name: {config.Model.Name} -> {name} (each series' model: model_assignments.yaml; the run's model: {identity})"]));
        return config with
        {
            Model = new ModelSelection(name, context =>
                new ModelRouter(name, features, config.Model.Name, model => TrainerTelemetry.Instrument(selections[model].Create(context with { FineTuning = fineTuningFlag ?? context.FineTuning }))))
            {
                Identity = identity,
            },
            Resolved = ResolvedConfig.With(config.Resolved, "model.name", name),
            Flags = applied,
        };
    }

    private static AppliedFlag Flag(TrainerFeatures features, string name, bool? value, IReadOnlyList<string> changes) =>
        new(name, value is not null, value is { } v ? (v ? "true" : "false") : null, value is null ? null : features.SourceOf(name), changes);

    private static string Change(string key, bool from, bool to) =>
        $"{key}: {(from ? "true" : "false")} -> {(to ? "true" : "false")}";

    /// <summary>"seasonal_naive 0-70%, naive 70-100% (seed forecast-model)", or the variants when no percentiles are given.</summary>
    private static async Task<string> DescribeAllocationAsync(TrainerFeatures features, IReadOnlyList<string> variants)
    {
        var definition = await features.GetModelDefinitionAsync().ConfigureAwait(false);
        var percentiles = definition?.Allocation?.Percentile?.ToList() ?? [];
        if (percentiles.Count == 0) return "variants " + string.Join(", ", variants);
        string split = string.Join(", ", percentiles.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Variant} {p.From:0.##}-{p.To:0.##}%")));
        return definition?.Allocation?.Seed is { Length: > 0 } seed ? $"{split} (seed {seed})" : split;
    }
}
