using Forecast.Core.Models;

namespace Forecast.Core.Threading;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler right away on the reporting thread. (The BCL's Progress&lt;T&gt;
/// posts to the thread pool, so reports can arrive late and out of order.)
/// </summary>
public sealed class SynchronousProgress(Action<ForecastProgress> handler) : IProgress<ForecastProgress>
{
    public void Report(ForecastProgress value) => handler(value);
}
