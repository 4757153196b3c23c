using Forecast.Core.Artifacts;
using Forecast.Trainer.Features;

namespace Forecast.Trainer.Pipeline;

/// <summary>
/// flags.yaml of a run: every feature flag the Trainer knows (<see cref="TrainerFeatures.All"/>), whether a
/// configuration source defined it and which, its value, and what it changed in the run's config.yaml.
/// </summary>
public static class FlagsFile
{
    public const string FileName = "flags.yaml";
    public const string ConfigFileName = "config.yaml";

    public const string ConfigHeader =
        "# The effective configuration of this run: every key resolved, --set overrides and feature flags applied (flags.yaml says which flag changed what).\n";

    /// <summary>config.yaml: the header and the effective configuration.</summary>
    public static string ConfigText(Configuration.TrainerConfig config) => ConfigHeader + YamlText.Serialize(config.Resolved);

    private const string Header =
        "# The feature flags of this run: each flag, whether a configuration source defined it (appsettings.json < environment variables < run request),\n" +
        "# its value, and what it changed in config.yaml. A flag that is not defined changes nothing.\n";

    public static string Write(IReadOnlyList<AppliedFlag> applied)
    {
        var byName = applied.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var flags = TrainerFeatures.All
            .Select(name => byName.TryGetValue(name, out var flag) ? flag : new AppliedFlag(name, false, null, null, []))
            .Select(f => f.ToYaml())
            .ToList();
        return Header + YamlText.Serialize(new Dictionary<string, object?> { ["flags"] = flags });
    }
}
