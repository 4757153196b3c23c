using Forecast.Core.Models;

namespace Forecast.Core.Threading;

/// <summary>
/// Counts series finished by parallel workers and reports about a hundred times per batch, always with a larger
/// count than the previous report (so a progress bar never moves back) and always with the final count.
/// </summary>
public sealed class MonotonicProgress(IProgress<ForecastProgress>? progress, int total, string stage)
{
    private readonly int _reportEvery = Math.Max(1, total / 100);
    private readonly Lock _gate = new();
    private int _done;
    private int _reported;

    public void OneMoreDone()
    {
        int done = Interlocked.Increment(ref _done);
        if (progress is null || (done % _reportEvery != 0 && done != total)) return;
        lock (_gate)
        {
            int now = Volatile.Read(ref _done);
            if (now <= _reported) return;
            _reported = now;
            progress.Report(new ForecastProgress(now, total, stage));
        }
    }
}
