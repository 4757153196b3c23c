namespace Forecast.Chronos.FineTuning;

/// <summary>One optimisation step's report; <see cref="ValidationLoss"/> is set on validation steps.</summary>
public sealed record FineTuneProgress(int Step, int MaxSteps, double Loss, double GradNorm, double LearningRate, double? ValidationLoss);
