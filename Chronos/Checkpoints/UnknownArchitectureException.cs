namespace Forecast.Chronos.Checkpoints;

/// <summary>config.json names a model class that is not a Chronos model this library can run.</summary>
public sealed class UnknownArchitectureException : CheckpointException
{
    public UnknownArchitectureException(string path, string architecture, IEnumerable<string> supported)
        : base(path, $"unknown architecture '{architecture}' in architectures[0] / chronos_pipeline_class; supported: "
            + $"{string.Join(", ", supported)}. Is this a Chronos checkpoint (amazon/chronos-t5-*, chronos-bolt-*, chronos-2)?")
    {
        Architecture = architecture;
    }

    public string Architecture { get; }
}
