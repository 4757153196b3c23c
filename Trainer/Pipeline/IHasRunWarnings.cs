namespace Forecast.Trainer.Pipeline;

/// <summary>A model that has something to warn about once the run's forecasts are made (the pipeline logs it).</summary>
public interface IHasRunWarnings
{
    /// <summary>Warnings about the forecasts made so far, one line each.</summary>
    IReadOnlyList<string> RunWarnings();
}
