namespace Forecast.Core.Artifacts;

/// <summary>
/// flags.yaml read back (written by the Trainer): every feature flag, whether a configuration source defined it and
/// which, its value, and what it changed in the run's config.yaml. Mutable for YamlDotNet; treat as read-only.
/// </summary>
public sealed class RunFlags
{
    public List<RunFlag> Flags { get; set; } = [];
}

/// <summary>One flag of flags.yaml.</summary>
public sealed class RunFlag
{
    public string Name { get; set; } = "";
    public bool Defined { get; set; }
    public string? Value { get; set; }
    public string? Source { get; set; }
    public List<string> Changes { get; set; } = [];
}
