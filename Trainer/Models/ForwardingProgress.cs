namespace Forecast.Trainer.Models;

/// <summary>
/// Maps a library's progress reports to the pipeline's on the reporting thread. Unlike <see cref="Progress{T}"/>
/// nothing is posted to the thread pool, so every report has reached the pipeline by the time the batch returns
/// and reports are not reordered.
/// </summary>
internal sealed class ForwardingProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
