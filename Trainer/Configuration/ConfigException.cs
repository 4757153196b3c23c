namespace Forecast.Trainer.Configuration;

/// <summary>The configuration cannot be used. Lists every problem found (not just the first), each with its location; exit code 2.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(Compose(problems)) => Problems = problems;

    public ConfigException(string location, string key, string message)
        : this([new ConfigProblem(location, key, message)]) { }

    public IReadOnlyList<ConfigProblem> Problems { get; }

    private static string Compose(IReadOnlyList<ConfigProblem> problems) =>
        problems.Count == 1
            ? $"Invalid configuration: {problems[0]}"
            : $"Invalid configuration ({problems.Count} problems):" + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}"));
}
