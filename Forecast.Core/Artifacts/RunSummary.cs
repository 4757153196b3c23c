namespace Forecast.Core.Artifacts;

/// <summary>
/// What a list of runs shows about one committed run: when it ran, on which dataset with which model, how it was
/// scored, its dataset metrics and its scores relative to seasonal naive on the same windows.
/// </summary>
public sealed record RunSummary(
    string RunId,
    string Status,
    DateTime StartedUtc,
    DateTime CommittedUtc,
    string RunName,
    string Dataset,
    string Model,
    int Series,
    string EvaluationMode,
    int Horizon,
    int Windows,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double> RelativeToSeasonalNaive,
    int Files);
