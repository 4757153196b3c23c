using Forecast.Core.Models;
using Spectre.Console;

namespace Forecast.Trainer.Cli;

/// <summary>Progress as Spectre.Console bars, one per stage (model and window), while a terminal is attached.</summary>
public sealed class SpectreProgress(ProgressContext context) : IProgress<ForecastProgress>
{
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

    public void Report(ForecastProgress value)
    {
        lock (_tasks)
        {
            if (!_tasks.TryGetValue(value.Stage, out var task))
            {
                task = context.AddTask(Markup.Escape(value.Stage), maxValue: Math.Max(1, value.Total));
                _tasks[value.Stage] = task;
            }
            task.Value = Math.Max(task.Value, value.Completed);
        }
    }
}
