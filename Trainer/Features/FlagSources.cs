using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace Forecast.Trainer.Features;

/// <summary>
/// Says where a flag was defined, for flags.yaml: the last configuration provider (the one that wins) holding the
/// flag in either schema — <c>FeatureManagement:&lt;flag&gt;</c> (.NET) or a <c>feature_management:feature_flags:i</c>
/// entry whose id is the flag (Microsoft) — named as a user would look for it: "environment variable
/// FeatureManagement__Plots", "appsettings.json", "run request 3f9a…".
/// </summary>
public static class FlagSources
{
    private const string DotnetSection = "FeatureManagement";
    private const string MicrosoftFlags = "feature_management:feature_flags";

    public static string? Find(IConfiguration configuration, string feature)
    {
        if (configuration is not IConfigurationRoot root) return null;
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.GetChildKeys([], DotnetSection).Contains(feature, StringComparer.OrdinalIgnoreCase))
                return Describe(provider, $"{DotnetSection}:{feature}");
            foreach (string index in provider.GetChildKeys([], MicrosoftFlags).Distinct(StringComparer.Ordinal))
            {
                string key = $"{MicrosoftFlags}:{index}:id";
                if (provider.TryGet(key, out string? id) && string.Equals(id, feature, StringComparison.OrdinalIgnoreCase))
                    return Describe(provider, $"{MicrosoftFlags}:{index}");
            }
        }
        return null;
    }

    private static string Describe(IConfigurationProvider provider, string key) => provider switch
    {
        EnvironmentVariablesConfigurationProvider => $"environment variable {key.Replace(":", "__", StringComparison.Ordinal)}",
        JsonConfigurationProvider json => Path.GetFileName(json.Source.Path) ?? "a JSON file",
        RunRequestFlags.Provider request => request.Description,
        _ => provider.GetType().Name.Replace("ConfigurationProvider", " configuration", StringComparison.Ordinal).Trim(),
    };
}
