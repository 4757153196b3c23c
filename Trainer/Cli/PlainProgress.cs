using Forecast.Core.Models;

namespace Forecast.Trainer.Cli;

/// <summary>
/// Progress as log lines, for output that is not a terminal (CI logs, files, the Dashboard's job page): per stage, a
/// line when it starts, when a further tenth of the series is done and at least <see cref="MinInterval"/> has passed since its last
/// line, and always the line of the last series. A stage over in a blink prints one line, not ten.
/// </summary>
public sealed class PlainProgress(ConsoleRunLog log, TimeProvider? clock = null) : IProgress<ForecastProgress>
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<string, (int Decile, DateTimeOffset At)> _last = new(StringComparer.Ordinal);

    public void Report(ForecastProgress value)
    {
        if (value.Total <= 0) return;
        int decile = (int)(10L * value.Completed / value.Total);
        bool done = value.Completed >= value.Total;
        var now = _clock.GetUtcNow();
        lock (_last)
        {
            // The first report of a stage prints (it started); later ones only past a new tenth and MinInterval, or at the end.
            if (_last.TryGetValue(value.Stage, out var last) && (decile <= last.Decile || (!done && now - last.At < MinInterval))) return;
            _last[value.Stage] = (decile, now);
        }
        log.Info($"{value.Stage}: {value.Completed}/{value.Total} series ({100L * value.Completed / value.Total}%)");
    }
}
