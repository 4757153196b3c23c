namespace Forecast.Trainer.Pipeline;

/// <summary>Where the pipeline reports what it does; the CLI writes timestamped lines.</summary>
public interface IRunLog
{
    void Info(string message);
    void Warn(string message);
}
