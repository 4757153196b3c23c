namespace Forecast.Trainer.Features;

/// <summary>
/// One entry of a run's flags.yaml: a flag the Trainer knows, whether a configuration source defined it (and which),
/// its value, and what it changed in the run's effective config.yaml ("plots.enabled: true -> false"); an undefined
/// flag or one that agreed with the YAML changed nothing.
/// </summary>
public sealed record AppliedFlag(string Name, bool Defined, string? Value, string? Source, IReadOnlyList<string> Changes)
{
    public Dictionary<string, object?> ToYaml() => new()
    {
        ["name"] = Name,
        ["defined"] = Defined,
        ["value"] = Value,
        ["source"] = Source,
        ["changes"] = Changes.ToList(),
    };
}
