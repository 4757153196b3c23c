using Forecast.Core.Artifacts;
using Forecast.Core.Evaluation;

namespace Forecast.Trainer.Pipeline;

/// <summary>A committed run: its id, where it is, its manifest and the model's dataset metrics.</summary>
public sealed record RunResult(string RunId, string Location, RunManifest Manifest, DatasetScore Score, DatasetScore SeasonalNaive);
