using Forecast.Core.Evaluation;
using Forecast.Core.Models;

namespace Forecast.Core.Artifacts;

/// <summary>
/// What a list of runs shows about one committed run: when it ran, on which dataset with which model, how it was
/// scored, its dataset metrics and its scores relative to seasonal naive on the same windows. <see cref="Model"/> is
/// the model's identity as text (<see cref="Models.ModelIdentity"/>: name[/variant][@checkpoint]).
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
    int Files,
    string DataSha256 = "",
    int Step = 0)
{
    /// <summary>The model's name, variant and checkpoint (parsed from <see cref="Model"/>).</summary>
    public ModelIdentity ModelIdentity => ModelIdentity.Parse(Model);

    /// <summary>The data and scoring settings: runs are comparable only within one setup.</summary>
    public EvaluationSetup Setup => new(Dataset, DataSha256, EvaluationMode, Horizon, Windows, Step);
}
