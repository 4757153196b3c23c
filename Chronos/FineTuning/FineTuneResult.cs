namespace Forecast.Chronos.FineTuning;

/// <summary>
/// Outcome of <see cref="ChronosFineTuner.Fit"/>: steps taken, the best validation loss and its step (the model holds
/// those weights at the end), whether early stopping ended the run, and every step's report.
/// </summary>
public sealed record FineTuneResult(int Steps, double? BestValidationLoss, int BestStep, bool StoppedEarly,
    IReadOnlyList<FineTuneProgress> History);
