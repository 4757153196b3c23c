namespace Forecast.Chronos.FineTuning;

/// <summary>
/// HF <c>get_linear_schedule_with_warmup</c> (optimization.py), as train.py's lr_scheduler_type "linear": the learning
/// rate rises linearly from 0 over the warm-up steps, then falls linearly to 0 at the last step.
/// </summary>
public sealed record LinearWarmupSchedule(int WarmupSteps, int TotalSteps)
{
    public double Multiplier(int step)
    {
        if (step < WarmupSteps)
            return (double)step / Math.Max(1, WarmupSteps);
        return Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
