namespace Forecast.Trainer.Configuration;

/// <summary>One thing wrong with the configuration: where (file:line:column or the --set that caused it), which key, and what would fix it.</summary>
public sealed record ConfigProblem(string Location, string Key, string Message)
{
    public override string ToString() => Key.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Key}: {Message}";
}
