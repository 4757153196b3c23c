using Forecast.Core.Artifacts;

namespace Forecast.Evaluator.Model;

/// <summary>A committed run: its summary, how it was scored, where its data came from, its files and the resolved config (YAML text).</summary>
public sealed record RunDetail(RunSummary Summary, RunEvaluationSettings Evaluation, string DataPath, IReadOnlyList<ManifestEntry> Files, string Config);
