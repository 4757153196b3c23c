using Forecast.Core.Models;

namespace Forecast.Trainer.Cli;

/// <summary>Progress as log lines, for output that is not a terminal (CI logs, files): one line per stage at every 10%.</summary>
public sealed class PlainProgress(ConsoleRunLog log) : IProgress<ForecastProgress>
{
    private readonly Dictionary<string, int> _lastDecile = new(StringComparer.Ordinal);

    public void Report(ForecastProgress value)
    {
        if (value.Total <= 0) return;
        int decile = (int)(10L * value.Completed / value.Total);
        lock (_lastDecile)
        {
            if (_lastDecile.TryGetValue(value.Stage, out int last) && decile <= last) return;
            _lastDecile[value.Stage] = decile;
        }
        log.Info($"{value.Stage}: {value.Completed}/{value.Total} series ({100L * value.Completed / value.Total}%)");
    }
}
